package dev.agentchat.cli;

import com.sun.net.httpserver.HttpServer;
import dev.agentchat.cli.errors.ExitCodes;

import dev.agentchat.client.model.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendCommandTest {
    @TempDir
    static Path state;
    static TestRoom room;
    static CliRunner cli;

    @BeforeAll
    static void start() {
        room = TestRoom.start();
        cli = new CliRunner(state);
    }

    @AfterAll
    static void stop() {
        cli.close();
        room.close();
    }

    @Test
    void sentMessagePrintsTheOriginalConfirmationAndReachesTheRoom() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "alice", "-m", "hello room");

        assertEquals(0, result.code());
        assertEquals("✅ Sent message as alice\n", result.out());
        assertEquals("", result.err());
        Message last = last();
        assertEquals("alice", last.getAgent());
        assertEquals("hello room", last.getText());
    }

    @Test
    void textGivenWithoutDashMIsAUsageMistakeThatSaysWhereTheTextGoes() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "alice", "hello room");

        assertEquals(2, result.code());
        assertTrue(result.err().startsWith("❌ Unmatched argument at index 7: 'hello room'\n"
            + "The message text goes after -m (agent-chat send -m 'TEXT'), or is piped in.\n"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void longFlagsWorkLikeTheOriginal() {
        CliRunner.Result result = cli.run("send", "--url", room.url() + "/", "--password", "pw",
            "--agent-name", "bob", "--message", "long flags");

        assertEquals(0, result.code());
        assertEquals("long flags", last().getText());
    }

    @Test
    void addressedReplyCarriesRecipientsAndTheAnsweredId() {
        long question = room.post("alice", "who reviews?");

        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "bob",
            "--to", "alice,carol", "--reply-to", Long.toString(question), "-m", "me");

        assertEquals(0, result.code());
        Message reply = last();
        assertEquals(List.of("alice", "carol"), reply.getTo());
        assertEquals(question, reply.getReplyTo());
    }

    @Test
    void jsonPrintsTheStoredMessageWithItsId() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "bob", "-m", "@alice hi", "--json");

        assertEquals(0, result.code());
        long id = last().getId();
        assertTrue(result.out().startsWith("{\"id\":" + id + ",\"agent\":\"bob\",\"text\":\"@alice hi\",\"timestamp\":\""), result.out());
        assertTrue(result.out().contains("\"mentions\":[\"alice\"]"), result.out());
        assertTrue(result.out().contains("\"verified\":true"), result.out()); // the CLI holds its name
    }

    @Test
    void wrongPasswordPrintsTheOriginalErrorAndExitsOne() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "nope", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.FAILURE, result.code());
        assertEquals("", result.out());
        assertEquals("❌ Invalid password\n", result.err());
    }

    @Test
    void unreachableServerIsOneLineAndExitCodeThree() {
        CliRunner.Result result = cli.run("send", "-u", "http://127.0.0.1:1", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.UNREACHABLE, result.code());
        assertEquals("❌ Cannot reach http://127.0.0.1:1: connection refused\n", result.err());
    }

    @Test
    void unknownHostIsNamed() {
        CliRunner.Result result = cli.run("send", "-u", "http://no-such-host.invalid", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.UNREACHABLE, result.code());
        assertEquals("❌ Cannot reach http://no-such-host.invalid: unknown host no-such-host.invalid\n", result.err());
    }

    @Test
    void malformedUrlIsAUsageError() {
        CliRunner.Result result = cli.run("send", "-u", "localhost:8765", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Invalid URL 'localhost:8765'"), result.err());
        assertTrue(result.err().contains("Usage: agent-chat send"), result.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://localhost:8765/#password=s3cret-pw|http://localhost:8765/#password=***|http://localhost:8765",
        "https://x.example/rooms/design/?password=s3cret-pw|https://x.example/rooms/design/?password=***|https://x.example/rooms/design",
        "http://me:s3cret-pw@localhost:8765|http://me:***@localhost:8765|http://localhost:8765"})
    void aUrlWithAPasswordInItIsRefusedWithoutShowingItAndNamesTheRoom(String url, String shown, String room) {
        CliRunner.Result result = cli.run("send", "-u", url, "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertEquals("❌ Invalid URL '" + shown + "': the password goes on its own (-p), not in the URL; the room is " + room,
            result.err().lines().findFirst().orElse(""));
        assertFalse(result.err().contains("s3cret-pw"), result.err());
    }

    @Test
    void anInvalidUrlIsShownWithoutAPasswordInIt() {
        CliRunner.Result result = cli.run("read", "-u", "ftp://me:s3cret-pw@localhost:8765/#password=s3cret-pw", "-p", "pw", "-a", "alice");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertTrue(result.err().startsWith("❌ Invalid URL 'ftp://me:***@localhost:8765/#password=***': expected http(s)://"), result.err());
    }

    @Test
    void aPortOutOfRangeIsAMalformedUrl() {
        CliRunner.Result result = cli.run("send", "-u", "http://localhost:99999", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Invalid URL 'http://localhost:99999'"), result.err());
    }

    @Test
    void aServerThatIsShuttingDownIsExit3ToTryAgainLater() throws IOException {
        HttpServer stopping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stopping.createContext("/", exchange -> {
            byte[] body = "{\"error\":\"The server is shutting down\",\"code\":\"shutting_down\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Retry-After", "5");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stopping.start();
        try {
            CliRunner.Result result = cli.run("send", "-u", "http://127.0.0.1:" + stopping.getAddress().getPort(),
                "-p", "pw", "-a", "alice", "-m", "x");

            assertEquals(ExitCodes.UNREACHABLE, result.code(), result.err());
            assertEquals("❌ The server is shutting down (retry after 5 s)\n", result.err());
        } finally {
            stopping.stop(0);
        }
    }

    @Test
    void aSendWhoseAnswerIsLostIsSentAgainAndStoredOnce() throws IOException {
        // between the CLI and the room: the first message reaches the room, its answer is replaced by a 503
        AtomicInteger posts = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpClient forward = HttpClient.newHttpClient();
        HttpServer lossy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        lossy.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder onward = HttpRequest.newBuilder(URI.create(room.url() + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("X-Room-Password", "Authorization", "Content-Type")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    onward.header(header, value);
                }
            }
            try {
                HttpResponse<byte[]> answer = forward.send(onward.build(), HttpResponse.BodyHandlers.ofByteArray());
                boolean post = exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().equals("/messages");
                if (post) {
                    bodies.add(new String(body, StandardCharsets.UTF_8));
                }
                byte[] back = post && posts.incrementAndGet() == 1
                    ? "{\"error\":\"The shared store is unavailable, try again later\",\"code\":\"store_unavailable\"}"
                        .getBytes(StandardCharsets.UTF_8)
                    : answer.body();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(post && posts.get() == 1 ? 503 : answer.statusCode(), back.length == 0 ? -1 : back.length);
                exchange.getResponseBody().write(back);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        lossy.start();
        try {
            String text = "stored once " + System.nanoTime();
            CliRunner.Result result = cli.run("send", "-u", "http://127.0.0.1:" + lossy.getAddress().getPort(),
                "-p", "pw", "-a", "retrier", "-m", text);

            assertEquals(0, result.code(), result.err());
            assertEquals(2, bodies.size(), "sent again after the 503");
            assertEquals(bodies.get(0), bodies.get(1), "with the same key");
            assertTrue(bodies.get(0).contains("\"idempotency_key\":\""), bodies.get(0));
            assertEquals(1, room.client().history().stream().filter(m -> m.getText().equals(text)).count());
        } finally {
            lossy.stop(0);
        }
    }

    @Test
    void missingAgentNameShowsTheUsage() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Missing required option: '--agent-name=NAME' (or set AGENT_CHAT_NAME)"), result.err());
        assertTrue(result.err().contains("Usage: agent-chat send"), result.err());
        assertTrue(!result.err().contains("Exception"), result.err());
    }

    @Test
    void rejectedMessageShowsTheServersReason() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "alice", "-m", "x".repeat(70_000));

        assertEquals(ExitCodes.FAILURE, result.code());
        assertTrue(result.err().startsWith("❌ ") && result.err().lines().count() == 1, result.err());
    }

    private static Message last() {
        List<Message> history = room.client().history();
        return history.get(history.size() - 1);
    }
}
