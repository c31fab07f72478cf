package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.agentchat.cli.ListenCommandTest.assertTexts;
import static dev.agentchat.cli.OriginalServer.PASSWORD;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command against the original Python server itself (not an imitation): it has no ids, no
 * long-poll and no {@code /agents}, and it never ends the body of an error response, so a client
 * that reads one without a bound waits forever.
 */
@Timeout(value = 60, unit = SECONDS)
class OriginalServerTest {
    @TempDir
    Path state;
    CliRunner cli;
    OriginalServer server;

    @BeforeEach
    void start() {
        server = new OriginalServer();
        cli = new CliRunner(state);
    }

    @AfterEach
    void stop() {
        if (cli != null) {
            cli.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendPostsToTheOriginalServer() {
        CliRunner.Result result = cli.run("send", "-u", server.url(), "-p", PASSWORD, "-a", "alice", "-m", "hi");

        assertEquals(0, result.code(), result.err());
        assertEquals("✅ Sent message as alice\n", result.out());
        assertEquals(List.of("alice: hi"), server.texts());
    }

    @Test
    void longOptionsShortenedAsTheOriginalCliTookThemStillSend() {
        CliRunner.Result result = cli.run("send", "--url", server.url(), "--pass", PASSWORD, "--agent", "alice", "--mess", "hi");

        assertEquals(0, result.code(), result.err());
        assertEquals(List.of("alice: hi"), server.texts());
    }

    @Test
    void aReplyOrRecipientsTheOriginalCannotKeepAreWarnedAboutAndTheTextIsSent() {
        CliRunner.Result result = cli.run("send", "-u", server.url(), "-p", PASSWORD, "-a", "alice", "--to", "bob",
            "--reply-to", "3", "-m", "as you said");
        CliRunner.Result asking = cli.run("send", "-u", server.url(), "-p", PASSWORD, "-a", "alice", "--ack", "-m", "ok?");

        assertEquals(0, result.code(), result.err());
        assertTrue(result.err().contains("⚠️ This server keeps only a message's sender and text"), result.err());
        assertEquals(result.err(), asking.err());
        assertEquals(List.of("alice: as you said", "alice: ok?"), server.texts());
    }

    @Test
    void searchFindsOnlyTheMatchingMessagesThoughTheOriginalCannotSearch() {
        server.post("alice", "deploy at noon");
        server.post("bob", "lunch?");
        server.post("bob", "DEPLOY done");

        CliRunner.Result all = cli.run("search", "-u", server.url(), "-p", PASSWORD, "deploy");
        CliRunner.Result byBob = cli.run("search", "-u", server.url(), "-p", PASSWORD, "deploy", "--by", "bob");
        CliRunner.Result none = cli.run("search", "-u", server.url(), "-p", PASSWORD, "dinner");

        assertEquals(0, all.code(), all.err());
        assertTexts(all.lines(), "alice: deploy at noon", "bob: DEPLOY done");
        assertTexts(byBob.lines(), "bob: DEPLOY done");
        assertEquals(ExitCodes.FAILURE, none.code());
    }

    @Test
    void coordinationCommandsExplainThatTheOriginalServerHasNone() {
        server.post("alice", "hello");
        CliRunner.Result ack = cli.run("ack", "-u", server.url(), "-p", PASSWORD, "-a", "bob", "1");
        CliRunner.Result claim = cli.run("claim", "-u", server.url(), "-p", PASSWORD, "-a", "bob", "src/**");
        CliRunner.Result claims = cli.run("claims", "-u", server.url(), "-p", PASSWORD);
        CliRunner.Result brake = cli.run("brake", "-u", server.url(), "-p", PASSWORD);
        CliRunner.Result topic = cli.run("topic", "-u", server.url(), "--host-key", "key", "deploys");

        assertEquals("❌ This server has no acknowledgements (it is an older agent-chat server)", ack.err().strip());
        assertEquals("❌ This server has no work claims (it is an older agent-chat server)", claim.err().strip());
        assertEquals(claim.err(), claims.err());
        assertEquals("❌ This server cannot tell its topic or loop brake (it is an older agent-chat server)", brake.err().strip());
        assertEquals("❌ This server keeps no topic (it is an older agent-chat server)", topic.err().strip());
        for (CliRunner.Result result : List.of(ack, claim, claims, brake, topic)) {
            assertEquals(ExitCodes.FAILURE, result.code(), result.err());
        }
    }

    @Test
    void wrongPasswordIsReportedAtOnceThoughTheOriginalNeverEndsItsErrorBody() {
        long started = System.nanoTime();
        CliRunner.Result send = cli.run("send", "-u", server.url(), "-p", "nope", "-a", "alice", "-m", "hi");
        CliRunner.Result read = cli.run("read", "-u", server.url(), "-p", "nope", "-a", "alice");

        assertEquals(ExitCodes.FAILURE, send.code());
        assertEquals("❌ Invalid password\n", send.err());
        assertEquals(ExitCodes.FAILURE, read.code());
        assertEquals("❌ Invalid password\n", read.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0,
            "took " + Duration.ofNanos(System.nanoTime() - started));
    }

    @Test
    void listenFollowsTheOriginalServerByIndex() {
        server.post("alice", "one");
        CliRunner.Running listen = cli.start("listen", "-u", server.url(), "-p", PASSWORD, "--count", "3");
        await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);
        server.post("bob", "two");
        server.post("bob", "three");

        assertEquals(0, listen.exit().orTimeout(15, SECONDS).join(), listen.err());
        assertTexts(listen.lines(), "alice: one", "bob: two", "bob: three");
    }

    @Test
    void joinPrintsTheHistoryOnceThenItsJoinMessage() {
        server.post("alice", "earlier");

        CliRunner.Running join = cli.start("join", "-u", server.url(), "-p", PASSWORD, "-a", "carol", "--count", "1");
        await().atMost(10, SECONDS).until(() -> join.lines().length == 3);
        server.post("alice", "welcome");

        assertEquals(0, join.exit().orTimeout(15, SECONDS).join(), join.err());
        String[] lines = join.lines();
        assertEquals(4, lines.length, join.out());
        assertEquals("--- end of history ---", lines[1]);
        assertTexts(new String[] {lines[0], lines[2], lines[3]}, "alice: earlier", "carol: *joined the chat*", "alice: welcome");
        assertEquals(List.of("alice: earlier", "carol: *joined the chat*", "alice: welcome"), server.texts());
    }

    @Test
    void readAndWaitKeepAnIndexCursor() {
        server.post("alice", "one");
        CliRunner.Result read = cli.run("read", "-u", server.url(), "-p", PASSWORD, "-a", "coder");
        assertEquals(0, read.code(), read.err());
        assertTexts(read.lines(), "alice: one");

        CliRunner.Running wait = cli.start("wait", "-u", server.url(), "-p", PASSWORD, "-a", "coder", "--timeout", "15");
        server.post("bob", "two");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "bob: two");
        CliRunner.Result again = cli.run("read", "-u", server.url(), "-p", PASSWORD, "-a", "coder");
        assertEquals(0, again.code(), again.err());
        assertEquals("", again.out());
    }

    @Test
    void waitTimesOutWithItsExitCodeWhenNothingArrives() {
        CliRunner.Result wait = cli.run("wait", "-u", server.url(), "-p", PASSWORD, "-a", "coder", "--timeout", "1");

        assertEquals(ExitCodes.TIMEOUT, wait.code(), wait.err());
        assertEquals("", wait.out());
    }

    @Test
    void waitMentionsFiltersOnTheClientForTheOriginalServer() {
        assertEquals(0, cli.run("read", "-u", server.url(), "-p", PASSWORD, "-a", "coder", "--mentions").code());
        CliRunner.Running wait = cli.start("wait", "-u", server.url(), "-p", PASSWORD, "-a", "coder", "--mentions", "--timeout", "15");
        server.post("alice", "nothing for you");
        server.post("alice", "hey @coder");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "alice: hey @coder");
    }

    @Test
    void waitMentionsReadsTheTextWithTheServersRuleForANameInAnyScript() {
        assertEquals(0, cli.run("read", "-u", server.url(), "-p", PASSWORD, "-a", "café", "--mentions").code());
        CliRunner.Running wait = cli.start("wait", "-u", server.url(), "-p", PASSWORD, "-a", "café", "--mentions", "--timeout", "15");
        server.post("alice", "write to josé@café now");
        server.post("alice", "@cafés is someone else");
        server.post("alice", "merci @CAFÉ.");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "alice: merci @CAFÉ.");
    }

    @Test
    void whoExplainsThatTheOriginalServerHasNoPresence() {
        CliRunner.Result result = cli.run("who", "-u", server.url(), "-p", PASSWORD);

        assertEquals(ExitCodes.FAILURE, result.code());
        assertTrue(result.err().startsWith("❌ This server does not list agents"), result.err());
    }

    @Test
    void exportExplainsAtOnceThatTheOriginalServerHasNoTranscript() {
        long started = System.nanoTime();
        CliRunner.Result export = cli.run("export", "-u", server.url(), "-p", PASSWORD);

        assertEquals(ExitCodes.FAILURE, export.code());
        assertEquals("❌ This server cannot export a transcript (it is an older agent-chat server)\n", export.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0,
            "took " + Duration.ofNanos(System.nanoTime() - started));
    }

    @Test
    void theHostsRoomCommandsExplainThatTheOriginalServerHasNoNamedRooms() {
        CliRunner.Result list = cli.run("rooms", "-u", server.url(), "--host-key", "any");
        CliRunner.Result end = cli.run("room", "retro", "--end", "-u", server.url(), "--host-key", "any");

        assertEquals("❌ This server cannot list its rooms (it is an older agent-chat server)", list.err().strip());
        assertEquals("❌ This server cannot end a room (it is an older agent-chat server)", end.err().strip());
        assertEquals(list.code(), end.code());
        assertEquals(ExitCodes.FAILURE, end.code());
    }

    @Test
    void mcpToolsSendAndReadThroughTheOriginalServer() {
        server.post("alice", "hello @coder");
        McpSyncClient mcp = McpClient.sync(new StdioClientTransport(agentChat("mcp", "-u", server.url(), "-p", PASSWORD, "-a", "coder"),
                McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(30))
            .initializationTimeout(Duration.ofSeconds(30))
            .build();
        try {
            mcp.initialize();

            CallToolResult sent = mcp.callTool(new CallToolRequest("send_message", Map.of("text", "on it")));
            CallToolResult read = mcp.callTool(new CallToolRequest("read_messages", Map.of()));

            assertFalse(sent.isError(), text(sent));
            assertFalse(read.isError(), text(read));
            assertTrue(text(read).contains("alice: hello @coder"), text(read));
            assertEquals(List.of("alice: hello @coder", "coder: on it"), server.texts());
        } finally {
            mcp.closeGracefully();
        }
    }

    @Test
    void mcpWithAWrongPasswordFailsInitializeSayingSo() {
        McpSyncClient mcp = McpClient.sync(new StdioClientTransport(agentChat("mcp", "-u", server.url(), "-p", "nope", "-a", "coder"),
                McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(20))
            .initializationTimeout(Duration.ofSeconds(30))
            .build();
        try {
            RuntimeException refused = assertThrows(RuntimeException.class, mcp::initialize);

            assertEquals("Invalid password", refused.getCause().getMessage(), refused.toString());
            assertTrue(server.texts().isEmpty(), "nothing was posted: " + server.texts());
        } finally {
            mcp.closeGracefully();
        }
    }

    private ServerParameters agentChat(String... args) {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            AgentChat.class.getName()));
        command.addAll(List.of(args));
        return ServerParameters.builder(command.get(0)).args(command.subList(1, command.size()))
            .addEnvVar("XDG_STATE_HOME", state.toString()).build();
    }

    private static String text(CallToolResult result) {
        return result.content().stream().filter(TextContent.class::isInstance)
            .map(c -> ((TextContent) c).text()).reduce("", String::concat);
    }
}
