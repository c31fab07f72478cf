package dev.agentchat.cli;

import dev.agentchat.client.testkit.FaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
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
}
