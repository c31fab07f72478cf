package dev.agentchat.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WhoCommandTest {
    @TempDir
    static Path state;
    static CliRunner cli;
    TestRoom room;

    @BeforeAll
    static void start() {
        cli = new CliRunner(state);
    }

    @AfterAll
    static void stop() {
        cli.close();
    }

    @BeforeEach
    void room() {
        room = TestRoom.start();
    }

    @AfterEach
    void closeRoom() {
        room.close();
    }

    @Test
    void whoShowsListenersOnlineWaitingAndHowFarTheyReadAndSpeakersWithTheirLastSeenTime() {
        room.post("alice", "hello");
        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "-a", "bob", "--count", "2");
        await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);

        CliRunner.Result result = cli.run("who", "-u", room.url(), "-p", "pw");

        assertEquals(0, result.code(), result.err());
        String[] lines = result.lines();
        assertEquals("● bob    online (1 connection), waiting, read #1", lines[0]);
        assertTrue(lines[1].matches("○ alice  last seen \\d\\d:\\d\\d:\\d\\d"), lines[1]);
        room.post("alice", "bye");
        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
    }

    @Test
    void whoJsonIsOneObjectPerAgent() {
        room.post("carol", "hi");

        CliRunner.Result result = cli.run("who", "-u", room.url(), "-p", "pw", "--json");

        assertEquals(0, result.code());
        assertTrue(result.out().contains("{\"name\":\"carol\",\"online\":false,\"last_seen\":\""), result.out());
    }
}
