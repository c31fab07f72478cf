package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.agentchat.cli.ListenCommandTest.assertTexts;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** send, listen, join (and read, wait) against the original Python server's protocol. */
class OriginalServerTest {
    @TempDir
    Path state;
    CliRunner cli;
    OriginalServer server;

    @BeforeEach
    void start() throws Exception {
        server = new OriginalServer();
        cli = new CliRunner(state);
    }

    @AfterEach
    void stop() {
        cli.close();
        server.close();
    }

    @Test
    void sendPostsToTheOriginalServer() {
        CliRunner.Result result = cli.run("send", "-u", server.url(), "-p", "pw", "-a", "alice", "-m", "hi");

        assertEquals(0, result.code());
        assertEquals("✅ Sent message as alice\n", result.out());
        assertEquals(List.of("alice: hi"), server.texts());
    }

    @Test
    void wrongPasswordIsReportedLikeTheOriginalClient() {
        CliRunner.Result result = cli.run("send", "-u", server.url(), "-p", "nope", "-a", "alice", "-m", "hi");

        assertEquals(ExitCodes.FAILURE, result.code());
        assertEquals("❌ Invalid password\n", result.err());
    }

    @Test
    void listenFollowsTheOriginalServerByIndex() {
        server.post("alice", "one");
        CliRunner.Running listen = cli.start("listen", "-u", server.url(), "-p", "pw", "--count", "3");
        await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);
        server.post("bob", "two");
        server.post("bob", "three");

        assertEquals(0, listen.exit().orTimeout(15, SECONDS).join(), listen.err());
        assertTexts(listen.lines(), "alice: one", "bob: two", "bob: three");
    }

    @Test
    void joinPrintsTheHistoryOnceThenItsJoinMessage() {
        server.post("alice", "earlier");

        CliRunner.Running join = cli.start("join", "-u", server.url(), "-p", "pw", "-a", "carol", "--count", "2");
        await().atMost(10, SECONDS).until(() -> join.lines().length == 3);
        server.post("alice", "welcome");

        assertEquals(0, join.exit().orTimeout(15, SECONDS).join(), join.err());
        String[] lines = join.lines();
        assertEquals(4, lines.length, join.out());
        assertEquals("--- end of history ---", lines[1]);
        assertTexts(new String[] {lines[0], lines[2], lines[3]}, "alice: earlier", "carol: *joined the chat*", "alice: welcome");
    }

    @Test
    void readAndWaitKeepAnIndexCursor() {
        server.post("alice", "one");
        assertTexts(cli.run("read", "-u", server.url(), "-p", "pw", "-a", "coder").lines(), "alice: one");

        CliRunner.Running wait = cli.start("wait", "-u", server.url(), "-p", "pw", "-a", "coder", "--timeout", "15");
        server.post("bob", "two");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "bob: two");
        assertEquals("", cli.run("read", "-u", server.url(), "-p", "pw", "-a", "coder").out());
    }

    @Test
    void waitMentionsFiltersOnTheClientForTheOriginalServer() {
        CliRunner.Running wait = cli.start("wait", "-u", server.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "15");
        await().atMost(10, SECONDS).until(() -> server.polls() >= 2); // it knows where "now" is
        server.post("alice", "nothing for you");
        server.post("alice", "hey @coder");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "alice: hey @coder");
    }

    @Test
    void waitMentionsReadsTheTextWithTheServersRuleForANameInAnyScript() {
        CliRunner.Running wait = cli.start("wait", "-u", server.url(), "-p", "pw", "-a", "café", "--mentions", "--timeout", "15");
        await().atMost(10, SECONDS).until(() -> server.polls() >= 2);
        server.post("alice", "write to josé@café now");
        server.post("alice", "@cafés is someone else");
        server.post("alice", "merci @CAFÉ.");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "alice: merci @CAFÉ.");
    }

    @Test
    void whoExplainsThatTheOriginalServerHasNoPresence() {
        CliRunner.Result result = cli.run("who", "-u", server.url(), "-p", "pw");

        assertEquals(ExitCodes.FAILURE, result.code());
        assertTrue(result.err().startsWith("❌ This server does not list agents"), result.err());
    }
}
