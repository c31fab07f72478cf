package dev.agentchat.cli;

import com.sun.net.httpserver.HttpServer;
import dev.agentchat.client.testkit.FaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.agentchat.cli.ListenCommandTest.assertTexts;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** listen keeps going across dropped connections and server restarts: nothing lost, nothing twice. */
class ReconnectTest {
    @TempDir
    static Path state;
    static CliRunner cli;

    @BeforeAll
    static void cli() {
        cli = new CliRunner(state);
    }

    @AfterAll
    static void close() {
        cli.close();
    }

    @Test
    void streamResumesAfterADroppedConnectionWithoutLossOrDuplicates() throws Exception {
        try (TestRoom room = TestRoom.start(); FaultProxy proxy = FaultProxy.start(URI.create(room.url()))) {
            room.post("alice", "one");
            CliRunner.Running listen = cli.start("listen", "-u", proxy.url(), "-p", "pw", "--count", "4");
            await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);

            proxy.cut();
            room.post("alice", "two");
            room.post("bob", "three");
            await().atMost(15, SECONDS).until(() -> listen.lines().length == 3);
            proxy.cut();
            room.post("alice", "four");

            assertEquals(0, listen.exit().orTimeout(20, SECONDS).join());
            assertTexts(listen.lines(), "alice: one", "alice: two", "bob: three", "alice: four");
            assertTrue(listen.err().contains("⚠️ Connection lost"), listen.err());
            assertTrue(listen.err().contains("🔄 Reconnected"), listen.err());
        }
    }

    @Test
    void streamFollowsARestartedServerWithoutLossOrDuplicates() {
        restartMidListen("sse");
    }

    @Test
    void longPollFollowsARestartedServerWithoutLossOrDuplicates() {
        restartMidListen("poll");
    }

    @Test
    void listenJsonTellsARestartAsOneLineBetweenTheMessages() {
        try (TestRoom room = TestRoom.start()) {
            room.post("alice", "old one");
            CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "--json", "--count", "2");
            await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);

            room.stop();
            await().atMost(15, SECONDS).until(() -> listen.err().contains("Connection lost"));
            room.restart();
            room.post("bob", "new one");

            assertEquals(0, listen.exit().orTimeout(30, SECONDS).join(), listen.err());
            String[] lines = listen.lines();
            assertEquals(3, lines.length, listen.out());
            assertTrue(lines[0].contains("\"text\":\"old one\""), lines[0]);
            assertEquals("{\"event\":\"restarted\"}", lines[1]);
            assertTrue(lines[2].contains("\"text\":\"new one\""), lines[2]);
            assertTrue(listen.err().contains("🔄 The room was restarted"), listen.err());
        }
    }

    private static void restartMidListen(String transport) {
        try (TestRoom room = TestRoom.start()) {
            room.post("alice", "old one");
            room.post("alice", "old two");
            CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "--transport", transport, "--count", "5");
            await().atMost(10, SECONDS).until(() -> listen.lines().length == 2);

            room.stop();
            await().atMost(15, SECONDS).until(() -> listen.err().contains("Connection lost"));
            room.restart();
            // The new room reuses ids 1..3: a client resuming "after id 2" would miss two of them.
            room.post("bob", "new one");
            room.post("bob", "new two");
            room.post("bob", "new three");

            assertEquals(0, listen.exit().orTimeout(30, SECONDS).join(), listen.err());
            assertTexts(listen.lines(), "alice: old one", "alice: old two", "bob: new one", "bob: new two", "bob: new three");
        }
    }

    @Test
    void listenSaysSoWhenTheServerGoesAwayBeforeItsStreamOpens() throws Exception {
        try (TestRoom room = TestRoom.start()) {
            HttpServer vanishing = answersOnceThenGoes(room);
            CliRunner.Running listen = cli.start("listen", "-u", "http://127.0.0.1:" + vanishing.getAddress().getPort(), "-p", "pw");
            try {
                await().atMost(15, SECONDS).until(() -> listen.err().contains("⚠️ Connection lost"));
                assertTrue(listen.err().contains("reconnecting…"), listen.err());
                assertTrue(!listen.exit().isDone(), "listen keeps reconnecting: " + listen.err());
            } finally {
                listen.thread().interrupt();
            }
        }
    }

    /**
     * A server in front of {@code room} that forwards the first request (listen's first look at the
     * room) and then stops, before the stream can open: a server stopped just after listen started.
     */
    private static HttpServer answersOnceThenGoes(TestRoom room) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient upstream = HttpClient.newHttpClient();
        boolean[] answered = {false};
        server.createContext("/", exchange -> {
            try (exchange) {
                synchronized (answered) {
                    if (answered[0]) {
                        return; // closed without an answer, as a server going away
                    }
                    answered[0] = true;
                }
                HttpResponse<byte[]> response = upstream.send(HttpRequest.newBuilder(URI.create(room.url() + exchange.getRequestURI()))
                    .header("X-Room-Password", TestRoom.PASSWORD).build(), HttpResponse.BodyHandlers.ofByteArray());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
                exchange.getResponseBody().write(response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                new Thread(() -> server.stop(0)).start();
            }
        });
        server.start();
        return server;
    }
}
