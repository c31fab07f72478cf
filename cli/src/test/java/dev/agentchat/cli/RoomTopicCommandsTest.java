package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.room.RoomTopics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room's topic from the command line: topic prints and sets it, join and a first read show it. */
class RoomTopicCommandsTest {
    @TempDir
    Path state;
    CliRunner cli;
    TestRoom room;

    @BeforeEach
    void start() {
        room = TestRoom.start(Map.of("agent-chat.topic", "Ship the parser by Friday"));
        cli = new CliRunner(state);
    }

    @AfterEach
    void stop() {
        cli.close();
        room.close();
    }

    @Test
    void theHostSetsTheTopicAndEveryoneCanPrintIt() {
        assertEquals("Ship the parser by Friday\n", cli.run("topic", "-u", room.url(), "-p", "pw").out());

        CliRunner.Result refused = cli.run("topic", "Mine now", "-u", room.url(), "-p", "pw", "--host-key", "wrong");
        assertEquals(ExitCodes.FAILURE, refused.code());
        CliRunner.Result set = cli.run("topic", "Review the design", "-u", room.url(), "-p", "pw", "--host-key", room.hostKey());
        assertEquals(0, set.code(), set.err());
        assertEquals("Review the design\n", cli.run("topic", "-u", room.url(), "-p", "pw").out());

        assertEquals(0, cli.run("topic", "--clear", "-u", room.url(), "-p", "pw", "--host-key", room.hostKey()).code());
        CliRunner.Result none = cli.run("topic", "-u", room.url(), "-p", "pw");
        assertEquals(0, none.code(), none.err());
        assertEquals("", none.out(), "stdout carries the topic alone, for scripts");
        assertEquals("Topic: " + RoomTopics.NONE + "\n", none.err());
    }

    @Test
    void clearingTheTopicAndGivingANewOneAtOnceIsAUsageErrorThatChangesNothing() {
        CliRunner.Result refused = cli.run("topic", "--clear", "Something else", "-u", room.url(), "--host-key", room.hostKey());

        assertEquals(ExitCodes.USAGE, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("❌ TEXT and --clear contradict each other: give one of them\n"), refused.err());
        assertEquals("Ship the parser by Friday\n", cli.run("topic", "-u", room.url(), "-p", "pw").out());
    }

    @Test
    void aTopicOverTheLimitIsAUsageErrorBeforeAnyRequest() {
        String tooLong = "x".repeat(RoomTopics.MAX_LENGTH + 1);

        CliRunner.Result refused = cli.run("topic", tooLong, "-u", room.url(), "--host-key", room.hostKey());

        assertEquals(ExitCodes.USAGE, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("❌ TEXT is 501 characters; a topic takes at most 500\n"), refused.err());
        assertEquals("Ship the parser by Friday\n", cli.run("topic", "-u", room.url(), "-p", "pw").out());
        // counted as the room stores it: one line, spaces at either end left out
        String fits = " " + "x".repeat(RoomTopics.MAX_LENGTH) + "\n";
        assertEquals(0, cli.run("topic", fits, "-u", room.url(), "--host-key", room.hostKey()).code());
    }

    @Test
    void theHostKeyAloneSetsAndClearsTheTopic() {
        CliRunner.Result set = cli.run("topic", "Review the design", "-u", room.url(), "--host-key", room.hostKey());
        assertEquals(0, set.code(), set.err());
        assertEquals("Review the design\n", cli.run("topic", "-u", room.url(), "-p", "pw").out());

        CliRunner.Result cleared = cli.run("topic", "--clear", "-u", room.url(), "--host-key", room.hostKey());
        assertEquals(0, cleared.code(), cleared.err());
        assertEquals("", cli.run("topic", "-u", room.url(), "-p", "pw").out());
    }

    @Test
    void printingTheTopicReportsAWrongPasswordAndAServerThatIsDown() {
        CliRunner.Result wrong = cli.run("topic", "-u", room.url(), "-p", "nope");
        assertEquals(ExitCodes.FAILURE, wrong.code(), wrong.out());
        assertTrue(wrong.err().contains("Invalid password"), wrong.err());

        String url = room.url();
        room.close();
        CliRunner.Result down = cli.run("topic", "-u", url, "-p", "pw");
        assertEquals(ExitCodes.UNREACHABLE, down.code(), down.err());
        assertTrue(down.err().contains("Cannot reach"), down.err());
    }

    @Test
    void joinAndTheFirstReadSayWhatTheRoomIsFor() {
        room.post("alice", "hello");

        CliRunner.Result first = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder");
        assertTrue(first.out().startsWith("📌 Topic: Ship the parser by Friday\n"), first.out());
        room.post("alice", "again");
        CliRunner.Result second = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder");
        assertFalse(second.out().contains("Topic"), "only the first time: " + second.out());

        CliRunner.Running join = cli.start("join", "-u", room.url(), "-p", "pw", "-a", "reviewer", "--count", "1");
        await().atMost(10, SECONDS).until(() -> join.out().contains("--- end of history ---"));
        assertTrue(join.out().startsWith("📌 Topic: Ship the parser by Friday\n"), join.out());
        room.post("alice", "bye");
        await().atMost(10, SECONDS).until(() -> join.exit().isDone());
    }
}
