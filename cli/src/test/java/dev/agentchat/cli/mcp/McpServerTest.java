package dev.agentchat.cli.mcp;

import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;
import dev.agentchat.cli.client.HostClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.cli.AgentChat;
import dev.agentchat.cli.OnePollSlot;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.options.CliFactory;
import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.testkit.LiveServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import dev.agentchat.messages.Timestamps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code agent-chat mcp} as an MCP host runs it: a separate process spoken to over stdio by the SDK's
 * own client, against a live room.
 */
class McpServerTest {
    static final String PASSWORD = "pw";
    static final String AGENT = "coder";
    /** The messages of {@link #inALargeRoom}. */
    private static final int LARGE_ROOM_MESSAGES = 20;

    @TempDir
    static Path state;
    static LiveServer server;
    static String url;
    static RoomClient room;
    static McpSyncClient mcp;
    static InitializeResult initialized;
    static final List<String> stderr = new CopyOnWriteArrayList<>();
    static final List<ProgressNotification> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = LiveServer.start(PASSWORD);
        url = server.url();
        room = new RoomClient(RoomAddress.parse(url), PASSWORD);
        StdioClientTransport transport = new StdioClientTransport(
            agentChat("mcp", "-u", url, "-p", PASSWORD, "-a", AGENT, "--progress-every", "1"), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(stderr::add);
        mcp = McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .progressConsumer(progress::add)
            .build();
        initialized = mcp.initialize();
    }

    @AfterAll
    static void stop() {
        if (mcp != null) {
            mcp.closeGracefully();
        }
        server.close();
    }

    @Test
    void aBrakedRoomRefusesSendMessageSayingWhatToDoAndWhereTheBrakeShows() {
        try (LiveServer braked = LiveServer.start(PASSWORD, Map.of("agent-chat.max-agent-turns", 2))) {
            RoomClient other = new RoomClient(RoomAddress.parse(braked.url()), PASSWORD);
            other.send("bot", "one", null, null);
            other.send("bot", "two", null, null);
            McpSyncClient client = McpClient.sync(new StdioClientTransport(
                    agentChat("mcp", "-u", braked.url(), "-p", PASSWORD, "-a", "held"), McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
            try {
                client.initialize();
                CallToolResult refused = client.callTool(new CallToolRequest("send_message", Map.of("text", "three")));

                assertTrue(refused.isError());
                // the limit as every refusal that carries one reads here (the CLI's room client adds it)
                assertEquals("Error: 2 agent messages in a row without a human one: agents may post again once a person "
                    + "posts or the host releases the brake (limit 2). Stop posting and wait for people; room_info "
                    + "shows the brake.", text(refused));
            } finally {
                client.closeGracefully();
            }
        }
    }

    @Test
    void initializeAnnouncesTheServerAndListsTheRoomTools() {
        assertEquals("agent-chat", initialized.serverInfo().name());
        assertTrue(initialized.instructions().contains("'" + AGENT + "'"), initialized.instructions());

        List<Tool> tools = mcp.listTools().tools();

        assertEquals(Set.of("send_message", "read_messages", "wait_for_messages", "list_agents", "ack_message",
                "who_has_read", "claim_resource", "release_claim", "list_claims", "search_messages", "export_transcript",
                "room_info"),
            tools.stream().map(Tool::name).collect(Collectors.toSet()));
        Tool wait = tools.stream().filter(t -> t.name().equals("wait_for_messages")).findFirst().orElseThrow();
        assertEquals(List.of("timeout_seconds"), wait.inputSchema().get("required"));
        assertTrue(((Map<?, ?>) wait.inputSchema().get("properties")).containsKey("mentions_only"));
    }

    @Test
    void sentMessageReachesTheRoomAsThisAgentWithItsRecipients() {
        CallToolResult result = call("send_message", Map.of("text", "tests pass, @alice please merge", "to", List.of("bob")));

        Message stored = last();
        assertFalse(result.isError(), text(result));
        assertEquals(AGENT, stored.getAgent());
        assertEquals("tests pass, @alice please merge", stored.getText());
        assertEquals(List.of("bob"), stored.getTo());
        assertEquals(List.of("alice"), stored.getMentions());
        assertTrue(text(result).startsWith("Sent: [" + stored.getTimestamp().getYear()), text(result));
        assertTrue(text(result).contains("] #" + stored.getId() + " coder → bob: tests pass"), text(result));
    }

    @Test
    void replyToIsStoredWithTheMessage() {
        long question = room.send("alice", "who takes the parser?", null, null).getId();

        CallToolResult result = call("send_message", Map.of("text", "me", "reply_to", question));

        assertFalse(result.isError(), text(result));
        assertEquals(question, last().getReplyTo());
        assertTrue(text(result).contains("coder ↩#" + question + ": me"), text(result));
    }

    @Test
    void readMessagesReturnsWhatThisAgentHasNotReadAndSharesItsCursorWithTheReadCommand() {
        call("read_messages", Map.of());
        long first = room.send("alice", "first", null, null).getId();
        long second = room.send("bob", "second", null, null).getId();

        String unread = text(call("read_messages", Map.of()));

        assertTrue(unread.startsWith("2 new messages:\n["), unread);
        assertTrue(unread.contains("] #" + first + " alice: first\n"), unread);
        assertTrue(unread.endsWith("] #" + second + " bob: second"), unread);
        assertEquals("No new messages.", text(call("read_messages", Map.of())));

        room.send("alice", "third", null, null);
        String cli = readCommand();
        assertTrue(cli.contains("alice: third"), cli);
        assertFalse(cli.contains("second"), "the CLI must start where MCP stopped: " + cli);
        assertEquals("No new messages.", text(call("read_messages", Map.of())),
            "read_messages must start where the CLI stopped");
    }

    @Test
    void readMessagesWithMentionsOnlySkipsWhatDoesNotConcernThisAgent() {
        call("read_messages", Map.of("mentions_only", true));
        room.send("alice", "lunch, anyone?", null, null);
        room.send("alice", "can you look at #4, @coder?", null, null);
        room.send("bob", "for you", List.of(AGENT), null);

        String mine = text(call("read_messages", Map.of("mentions_only", true)));

        assertTrue(mine.startsWith("2 new messages:"), mine);
        assertTrue(mine.contains("alice: can you look at #4, @coder?"), mine);
        assertTrue(mine.contains("bob → coder: for you"), mine);
        assertFalse(mine.contains("lunch"), mine);
    }

    @Test
    void waitForMessagesBlocksUntilAnotherAgentPostsAndShowsThisAgentOnline() {
        call("read_messages", Map.of());
        CompletableFuture<CallToolResult> waiting = CompletableFuture.supplyAsync(
            () -> call("wait_for_messages", Map.of("timeout_seconds", 30)));

        await().atMost(10, SECONDS).until(() -> room.agents().stream()
            .anyMatch(a -> a.getName().equals(AGENT) && Boolean.TRUE.equals(a.getOnline())));
        await().during(1, SECONDS).atMost(3, SECONDS).until(() -> !waiting.isDone());
        long id = room.send("alice", "wake up, build is red", null, null).getId();

        String woken = text(await().atMost(10, SECONDS).until(() -> waiting.getNow(null), r -> r != null));
        assertTrue(woken.startsWith("1 new message:\n["), woken);
        assertTrue(woken.endsWith("] #" + id + " alice: wake up, build is red"), woken);
    }

    @Test
    void aWaitTheHostCancelsMarksNothingReadAndItsMessageComesWithTheNextRead() throws Exception {
        room.send("alice", "before the wait", null, null); // read first, so that the agent reads from a cursor
        Process process = start(new ProcessBuilder(command("mcp", "-u", url, "-p", PASSWORD, "-a", "canceller",
            "--progress-every", "1")));
        List<String> answers = new CopyOnWriteArrayList<>();
        Thread reading = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)).lines().forEach(answers::add));
        reading.start();
        try (java.io.Writer host = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line : List.of(INITIALIZE, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                toolCall(2, "read_messages", "{}"), toolCall(3, "wait_for_messages", "{\"timeout_seconds\":30}"))) {
                host.write(line + "\n");
            }
            host.flush();
            await().atMost(20, SECONDS).until(() -> room.agents().stream()
                .anyMatch(a -> a.getName().equals("canceller") && Boolean.TRUE.equals(a.getWaiting())));

            host.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}\n");
            host.flush();
            room.send("alice", "@canceller after the cancel", null, null);
            await().atMost(10, SECONDS).until(() -> answers.stream().anyMatch(a -> a.contains("\"id\":3")));
            host.write(toolCall(4, "read_messages", "{}") + "\n");
            host.flush();
            await().atMost(10, SECONDS).until(() -> answers.stream().anyMatch(a -> a.contains("\"id\":4")));
        }
        assertTrue(process.waitFor(30, SECONDS));
        String cancelled = answers.stream().filter(a -> a.contains("\"id\":3")).findFirst().orElseThrow();
        assertTrue(cancelled.contains("Cancelled: nothing was marked read."), "not the message: " + cancelled);
        String read = answers.stream().filter(a -> a.contains("\"id\":4")).findFirst().orElseThrow();
        assertTrue(read.contains("alice: @canceller after the cancel"), "still unread after the cancelled wait: " + answers);
    }

    private static String toolCall(int id, String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
            + "\",\"arguments\":" + arguments + "}}";
    }

    @Test
    void waitForMessagesWithMentionsOnlySleepsThroughUnrelatedMessages() {
        call("read_messages", Map.of("mentions_only", true));
        CompletableFuture<CallToolResult> waiting = CompletableFuture.supplyAsync(
            () -> call("wait_for_messages", Map.of("timeout_seconds", 30, "mentions_only", true)));

        room.send("alice", "coffee break", null, null);
        room.send("bob", "@alice the docs are up", null, null);
        await().during(1500, TimeUnit.MILLISECONDS).atMost(4, SECONDS).until(() -> !waiting.isDone());
        room.send("alice", "@coder your turn", null, null);

        String woken = text(await().atMost(10, SECONDS).until(() -> waiting.getNow(null), r -> r != null));
        assertTrue(woken.startsWith("1 new message:\n"), woken);
        assertTrue(woken.contains("alice: @coder your turn"), woken);
    }

    @Test
    void waitForMessagesOnAFullServerSaysWhyNothingCame() throws Exception {
        try (LiveServer full = LiveServer.start(PASSWORD, OnePollSlot.SETTINGS)) {
            CompletableFuture<java.net.http.HttpResponse<String>> occupant = OnePollSlot.take(full.url(), PASSWORD);
            McpSyncClient client = stdioClient(full.url());
            try {
                client.initialize();
                client.callTool(new CallToolRequest("read_messages", Map.of()));

                CallToolResult result = client.callTool(new CallToolRequest("wait_for_messages", Map.of("timeout_seconds", 2)));

                assertFalse(result.isError());
                assertEquals("No new messages. (waited 2 s)\n"
                    + "⚠️ The server has too many open connections (limit 1; retry after 5 s); still waiting", text(result));
            } finally {
                client.closeGracefully();
                new RoomClient(RoomAddress.parse(full.url()), PASSWORD).send("alice", "the occupant may go", null, null);
                occupant.get(10, SECONDS);
            }
        }
    }

    @Test
    void afterTheServerRestartsTheToolsClaimTheNameAgainAndGoOn() throws Exception {
        afterARestart((client, restarting) -> {
            CallToolResult after = client.callTool(new CallToolRequest("send_message", Map.of("text", "after the restart")));

            assertFalse(after.isError(), text(after));
            List<Message> history = new RoomClient(RoomAddress.parse(restarting.url()), PASSWORD).history();
            assertEquals(List.of("after the restart"), history.stream().map(Message::getText).toList());
            assertEquals(Boolean.TRUE, history.get(0).getVerified());
        });
    }

    @Test
    void afterTheServerRestartsToolCallsMadeTogetherShareOneClaimOfTheNameAndAllSucceed() throws Exception {
        afterARestart((client, restarting) -> {
            List<CallToolRequest> together = List.of(
                new CallToolRequest("send_message", Map.of("text", "one")),
                new CallToolRequest("send_message", Map.of("text", "two")),
                new CallToolRequest("list_agents", Map.of()),
                new CallToolRequest("read_messages", Map.of()),
                new CallToolRequest("send_message", Map.of("text", "three")));
            List<CompletableFuture<CallToolResult>> calls = together.stream()
                .map(request -> CompletableFuture.supplyAsync(() -> client.callTool(request))).toList();

            for (CompletableFuture<CallToolResult> call : calls) {
                CallToolResult result = call.get(60, SECONDS);
                assertFalse(result.isError(), text(result));
            }
            List<Message> history = new RoomClient(RoomAddress.parse(restarting.url()), PASSWORD).history();
            assertEquals(Set.of("one", "two", "three"), history.stream().map(Message::getText).collect(Collectors.toSet()));
            assertTrue(history.stream().allMatch(m -> Boolean.TRUE.equals(m.getVerified())), history.toString());
        });
    }

    /** A test of a stdio MCP client, initialized, of a server of the test's own, which it may restart. */
    private interface OnItsOwnServer {
        void check(McpSyncClient client, LiveServer server) throws Exception;
    }

    /** Runs {@code test} with a stdio MCP client of {@code server}, initialized; closes both after. */
    private static void withAClientOf(LiveServer server, OnItsOwnServer test, String... clientArguments) throws Exception {
        try (server) {
            McpSyncClient client = stdioClient(server.url(), clientArguments);
            try {
                client.initialize();
                test.check(client, server);
            } finally {
                client.closeGracefully();
            }
        }
    }

    /** What a stdio MCP server does after its room's server restarts, given a client that sent a message before. */
    private static void afterARestart(OnItsOwnServer check) throws Exception {
        withAClientOf(LiveServer.start(PASSWORD), (client, restarting) -> {
            assertFalse(client.callTool(new CallToolRequest("send_message", Map.of("text", "before"))).isError());
            restarting.restart();
            check.check(client, restarting);
        });
    }

    @Test
    void aWaitForMessagesThatOutlivesAServerRestartSaysSoBeforeTheNewRoomsMessage() throws Exception {
        withAClientOf(LiveServer.start(PASSWORD), (client, restarting) -> {
            client.callTool(new CallToolRequest("send_message", Map.of("text", "before")));
            client.callTool(new CallToolRequest("read_messages", Map.of()));
            CompletableFuture<CallToolResult> waiting = CompletableFuture.supplyAsync(
                () -> client.callTool(new CallToolRequest("wait_for_messages", Map.of("timeout_seconds", 40))));
            RoomClient room = new RoomClient(RoomAddress.parse(restarting.url()), PASSWORD);
            await().atMost(10, SECONDS).until(() -> room.agents().stream()
                .anyMatch(a -> a.getName().equals(AGENT) && Boolean.TRUE.equals(a.getWaiting())));

            restarting.stop();
            await().during(2, SECONDS).atMost(5, SECONDS).until(() -> !waiting.isDone());
            restarting.restart();
            room.send("alice", "after the restart", null, null);

            String woken = text(waiting.get(30, SECONDS));
            assertTrue(woken.startsWith(ToolText.RESTARTED + "\n1 new message:\n"), woken);
            assertTrue(woken.endsWith("alice: after the restart"), woken);
        }, "--progress-every", "1");
    }

    @Test
    void aWaitForMessagesAfterTheServerRestartedBetweenCallsSaysSoBeforeTheNewRoomsMessage() throws Exception {
        withAClientOf(LiveServer.start(PASSWORD), (client, restarting) -> {
            client.callTool(new CallToolRequest("send_message", Map.of("text", "before")));
            client.callTool(new CallToolRequest("read_messages", Map.of()));
            restarting.restart();
            new RoomClient(RoomAddress.parse(restarting.url()), PASSWORD).send("alice", "after the restart", null, null);

            String woken = text(client.callTool(new CallToolRequest("wait_for_messages", Map.of("timeout_seconds", 20))));

            assertTrue(woken.startsWith(ToolText.RESTARTED + "\n1 new message:\n"), woken);
            assertTrue(woken.endsWith("#1 alice: after the restart"), woken);
            String later = text(client.callTool(new CallToolRequest("wait_for_messages", Map.of("timeout_seconds", 1))));
            assertEquals("No new messages. (waited 1 s)", later, "the restart is told once");
        });
    }

    @Test
    void aReadMessagesAfterTheServerRestartedBetweenCallsSaysSoBeforeTheNewRoomsMessages() throws Exception {
        withAClientOf(LiveServer.start(PASSWORD), (client, restarting) -> {
            RoomClient room = new RoomClient(RoomAddress.parse(restarting.url()), PASSWORD);
            room.send("alice", "old one", null, null);
            room.send("alice", "old two", null, null);
            client.callTool(new CallToolRequest("read_messages", Map.of()));
            restarting.restart();
            room.send("bob", "new one", null, null);
            room.send("bob", "new two", null, null);
            room.send("bob", "new three", null, null);

            String read = text(client.callTool(new CallToolRequest("read_messages", Map.of())));

            assertTrue(read.startsWith(ToolText.RESTARTED + "\n3 new messages:\n"), read);
            assertTrue(read.contains("#1 bob: new one") && read.endsWith("#3 bob: new three"), read);
            String later = text(client.callTool(new CallToolRequest("read_messages", Map.of())));
            assertFalse(later.contains(ToolText.RESTARTED), "the restart is told once: " + later);
        });
    }

    @Test
    void readMessagesAndWaitForMessagesSayWhenMessagesSinceTheLastReadWereDroppedFromTheHistory() throws Exception {
        withAClientOf(LiveServer.start(PASSWORD, Map.of("agent-chat.max-history", 3)), (client, small) -> {
            RoomClient poster = new RoomClient(RoomAddress.parse(small.url()), PASSWORD);
            poster.send("alice", "one", null, null);
            client.callTool(new CallToolRequest("read_messages", Map.of()));
            for (String text : List.of("two", "three", "four", "five")) {
                poster.send("alice", text, null, null);
            }

            String read = text(client.callTool(new CallToolRequest("read_messages", Map.of())));

            assertTrue(read.startsWith("⚠️ Some messages since your last read were dropped from the room's history"
                + " before you read them; it now begins at #3\n3 new messages:\n"), read);
            for (String text : List.of("six", "seven", "eight", "nine")) {
                poster.send("alice", text, null, null);
            }
            String woken = text(client.callTool(new CallToolRequest("wait_for_messages", Map.of("timeout_seconds", 5))));
            assertTrue(woken.startsWith("⚠️ Some messages since your last read were dropped from the room's history"
                + " before you read them; it now begins at #7\n3 new messages:\n"), woken);
            String later = text(client.callTool(new CallToolRequest("read_messages", Map.of())));
            assertFalse(later.contains("⚠️"), "told once: " + later);
        });
    }

    @Test
    void aFirstWaitMovesNoReadReceiptOverTheHistoryItSkippedAndAReadDoes() {
        long history = room.send("alice", "history before the newcomer came", null, null).getId();
        McpSyncClient newcomer = McpClient.sync(new StdioClientTransport(
                agentChat("mcp", "-u", url, "-p", PASSWORD, "-a", "newcomer"), McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
        try {
            newcomer.initialize();
            Map<String, Object> asked = Map.of("id", history);

            assertEquals("No new messages. (waited 0.5 s)",
                text(newcomer.callTool(new CallToolRequest("wait_for_messages", Map.of("timeout_seconds", 0.5)))));
            String waited = text(newcomer.callTool(new CallToolRequest("who_has_read", asked)));
            assertTrue(waited.contains("\nNot yet: ") && waited.substring(waited.indexOf("\nNot yet: ")).contains("newcomer"),
                "the wait gave it nothing: " + waited);

            assertTrue(text(newcomer.callTool(new CallToolRequest("read_messages", Map.of()))).contains("history before"));
            String read = text(newcomer.callTool(new CallToolRequest("who_has_read", asked)));
            assertTrue(read.lines().findFirst().orElseThrow().contains("newcomer"), "the read gave it the history: " + read);
        } finally {
            newcomer.closeGracefully();
        }
    }

    @Test
    void waitForMessagesSaysSoWhenTheTimeoutPasses() {
        call("read_messages", Map.of());

        CallToolResult result = call("wait_for_messages", Map.of("timeout_seconds", 1));

        assertFalse(result.isError());
        assertEquals("No new messages. (waited 1 s)", text(result));
    }

    @Test
    void aLongWaitReportsProgressToACallerThatAskedForIt() {
        call("read_messages", Map.of());

        CallToolResult result = mcp.callTool(new CallToolRequest("wait_for_messages",
            Map.of("timeout_seconds", 2.5), Map.of("progressToken", "wait-1")));

        assertEquals("No new messages. (waited 2.5 s)", text(result));
        List<ProgressNotification> mine = progress.stream().filter(p -> "wait-1".equals(p.progressToken())).toList();
        assertFalse(mine.isEmpty(), "a progress notification per second of waiting");
        assertEquals(2.5, mine.get(0).total());
        assertTrue(mine.get(0).progress() >= 1 && mine.get(0).progress() < 2.5, mine.toString());
    }

    @Test
    void listAgentsShowsWhoIsInTheRoom() {
        room.send("dana", "hello", null, null);

        String agents = text(call("list_agents", Map.of()));

        assertTrue(agents.matches("(?s)\\d+ agents \\(\\d+ online\\):\n.*"), agents);
        assertTrue(agents.contains("\n- dana: offline, last seen 20"), agents);
        assertTrue(agents.contains("\n- coder (you): "), agents);
    }

    @Test
    void listAgentsShowsANameTheHostKickedAsRemovedUntilWhen() {
        room.send("ejected", "buy now", null, null);
        Map<String, Object> kicked = new HostClient(room, server.hostKey()).moderate("ejected", "kick");

        String agents = text(call("list_agents", Map.of()));

        assertTrue(agents.contains("\n- ejected: removed by the host until "
            + Timestamps.format(OffsetDateTime.parse((String) kicked.get("blocked_until"))) + ", last seen 20"), agents);
    }

    @Test
    void aKickedAgentsInitializeSaysUntilWhenAsTheRoomsMcpSaysIt() throws Exception {
        room.send("banned", "buy now", null, null);
        Map<String, Object> kicked = new HostClient(room, server.hostKey()).moderate("banned", "kick");

        Map<String, JsonNode> answers = piped("banned", List.of(INITIALIZE));

        assertEquals(ToolText.kicked("banned", OffsetDateTime.parse((String) kicked.get("blocked_until")).toInstant()),
            answers.get("1").path("error").path("message").asText(), answers.toString());
    }

    @Test
    void withTheObserverPasswordATokenSavedWithTheRoomPasswordIsNotUsedAndTheServerOnlyReads() throws Exception {
        try (LiveServer watched = LiveServer.start(PASSWORD, Map.of("agent-chat.observer-password", "watch"))) {
            RoomClient member = new RoomClient(RoomAddress.parse(watched.url()), PASSWORD);
            // an earlier run with the room's password left the name's token saved
            member.holdName("watcher", "agent", new CursorStore(state.resolve("agent-chat").resolve("cursors")).tokens());
            member.send("watcher", "as a member", null, null);
            McpSyncClient client = McpClient.sync(new StdioClientTransport(
                    agentChat("mcp", "-u", watched.url(), "-p", "watch", "-a", "watcher"), McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
            try {
                String instructions = client.initialize().instructions();

                assertTrue(instructions.contains("with the observer password: you can only read"), instructions);
                assertEquals(ToolCatalog.NAMES.stream().filter(name -> !ToolCatalog.WRITES.contains(name)).toList(),
                    client.listTools().tools().stream().map(Tool::name).toList());
                for (String write : List.of("send_message", "ack_message")) {
                    CallToolResult refused = client.callTool(new CallToolRequest(write, Map.of("text", "hi", "id", 1)));
                    assertTrue(refused.isError(), refused.toString());
                    assertEquals("Error: The observer password only reads: it cannot post or change anything", text(refused));
                }
                assertTrue(text(client.callTool(new CallToolRequest("read_messages", Map.of()))).endsWith(": as a member"));
                assertEquals(List.of("as a member"), member.history().stream().map(Message::getText).toList());
            } finally {
                client.closeGracefully();
            }
        }
    }

    @Test
    void unusableArgumentsAreAnsweredWithAReadableToolError() {
        CallToolResult blank = call("send_message", Map.of("text", " "));
        CallToolResult fraction = call("send_message", Map.of("text", "hi", "reply_to", "two"));
        CallToolResult negative = call("wait_for_messages", Map.of("timeout_seconds", -5));

        assertTrue(blank.isError());
        assertEquals("Error: 'text' is required: a non-empty string", text(blank));
        assertTrue(fraction.isError());
        assertTrue(text(fraction).contains("reply_to"), text(fraction));
        assertTrue(negative.isError());
        assertEquals("Error: 'timeout_seconds' must be between 0 and 3600 (call again to wait longer)", text(negative));
    }

    @Test
    void stdoutCarriesOnlyProtocolAndClosingStdinEndsTheServer() throws Exception {
        Process process = start(new ProcessBuilder(command("mcp", "-u", url, "-p", PASSWORD, "-a", "closer"))
            .redirectError(ProcessBuilder.Redirect.DISCARD));
        process.getOutputStream().write(String.join("\n",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"script\",\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"send_message\","
                + "\"arguments\":{\"text\":\"piped in\"}}}",
            "").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        java.io.BufferedReader stdout = new java.io.BufferedReader(
            new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>(List.of(stdout.readLine(), stdout.readLine()));
        process.getOutputStream().close();

        assertTrue(process.waitFor(30, SECONDS), "the server must end when its stdin is closed");
        assertEquals(0, process.exitValue());
        stdout.lines().forEach(lines::add);
        assertEquals(2, lines.size(), "one answer per request, and nothing else: " + lines);
        ObjectMapper json = new ObjectMapper();
        JsonNode initialize = json.readTree(lines.get(0));
        JsonNode send = json.readTree(lines.get(1));
        assertEquals("2.0", initialize.path("jsonrpc").asText());
        assertEquals("agent-chat", initialize.path("result").path("serverInfo").path("name").asText(), lines.get(0));
        assertEquals(2, send.path("id").asInt());
        assertTrue(send.path("result").path("content").path(0).path("text").asText().endsWith(" closer: piped in"), lines.get(1));
        assertEquals("piped in", last().getText());
    }

    @Test
    void requestsPipedInWithStdinClosedAtOnceAreAllAnsweredAndANullIdIsRefused() throws Exception {
        Map<String, JsonNode> answers = pipedIn("piper",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"read_messages\",\"arguments\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"send_message\","
                + "\"arguments\":{\"text\":\"piped and gone\"}}}");

        assertEquals(java.util.Set.of("1", "null", "2", "3"), answers.keySet(), answers.toString());
        assertEquals(-32600, answers.get("null").path("error").path("code").asInt(), answers.toString());
        assertTrue(answers.get("2").path("result").has("content"), answers.get("2").toString());
        assertTrue(answers.get("3").path("result").path("content").path(0).path("text").asText().endsWith(" piper: piped and gone"),
            answers.get("3").toString());
        assertEquals("piped and gone", last().getText());
    }

    @Test
    void aToolCallWithoutAToolNameOrWithArgumentsThatAreNotAnObjectIsAnInvalidParamsErrorAndTheSessionGoesOn()
        throws Exception {
        Map<String, JsonNode> answers = pipedIn("sloppy",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"send_message\",\"arguments\":[\"hi\"]}}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"send_message\","
                + "\"arguments\":{\"text\":\"still here\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"rm_rf\",\"arguments\":{}}}");

        for (String id : List.of("2", "3", "4", "6")) {
            assertEquals(-32602, answers.get(id).path("error").path("code").asInt(), answers.toString());
        }
        assertEquals(ToolText.NO_TOOL_NAME, answers.get("2").path("error").path("message").asText());
        assertEquals(ToolText.NO_TOOL_NAME, answers.get("3").path("error").path("message").asText());
        assertEquals(ToolText.ARGUMENTS_NOT_OBJECT, answers.get("4").path("error").path("message").asText());
        assertEquals(ToolText.unknownTool("rm_rf"), answers.get("6").path("error").path("message").asText());
        assertTrue(answers.get("5").path("result").path("content").path(0).path("text").asText().endsWith(" sloppy: still here"),
            answers.get("5").toString());
    }

    @Test
    void aRequestBeforeInitializeIsRefusedAndOneBeforeTheInitializedNotificationIsAnswered() throws Exception {
        String roomInfo = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"room_info\"}}";

        Map<String, JsonNode> early = piped("early", List.of(roomInfo, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}"));
        assertEquals(-32600, early.get("2").path("error").path("code").asInt(), early.toString());
        assertTrue(early.get("2").path("error").path("message").asText().contains("send initialize first"), early.toString());
        assertTrue(early.get("3").path("result").isObject(), "a ping needs no initialize: " + early);

        Map<String, JsonNode> eager = piped("eager", List.of(INITIALIZE, roomInfo));
        assertTrue(eager.get("2").path("result").path("content").path(0).path("text").asText().startsWith("Room: "),
            eager.toString());
    }

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"script\",\"version\":\"1\"}}}";

    /** {@link #piped} after an initialize and its notification. */
    private Map<String, JsonNode> pipedIn(String agent, String... requests) throws Exception {
        List<String> lines = new ArrayList<>(List.of(INITIALIZE, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
        lines.addAll(List.of(requests));
        return piped(agent, lines);
    }

    /**
     * Pipes {@code requests} into {@code agent-chat mcp} as {@code agent} and closes its stdin at once;
     * returns the answers by id ("null" for a null id), having checked that the server ended with its
     * stdin and wrote no exception to stderr.
     */
    private Map<String, JsonNode> piped(String agent, List<String> requests) throws Exception {
        return piped(List.of("mcp", "-u", url, "-p", PASSWORD, "-a", agent), requests);
    }

    /** {@link #piped(String, List)} with these arguments of {@code agent-chat}. */
    private Map<String, JsonNode> piped(List<String> args, List<String> requests) throws Exception {
        Process process = start(new ProcessBuilder(command(args.toArray(String[]::new))));
        List<String> lines = new ArrayList<>(requests);
        lines.add("");
        process.getOutputStream().write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();

        assertTrue(process.waitFor(30, SECONDS), "the server must end when its stdin is closed");
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> answers = new java.util.HashMap<>();
        for (String line : new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            JsonNode answer = json.readTree(line);
            answers.put(answer.path("id").asText("null"), answer);
        }
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(stderr.contains("Exception"), stderr);
        return answers;
    }

    @Test
    void initializeWithAWrongPasswordFailsWithTheReasonAndNoToolCanBeCalled() throws Exception {
        Map<String, JsonNode> answers = piped(List.of("mcp", "-u", url, "-p", "nope", "-a", AGENT), List.of(INITIALIZE,
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"read_messages\"}}"));

        assertEquals(-32000, answers.get("1").path("error").path("code").asInt(), answers.toString());
        assertEquals("Invalid password", answers.get("1").path("error").path("message").asText(), answers.toString());
        assertEquals(-32600, answers.get("2").path("error").path("code").asInt(), answers.toString());
    }

    @Test
    void initializeForARoomThatDoesNotExistOrAServerThatIsNotThereFailsSayingSo() throws Exception {
        String gone;
        try (LiveServer stopped = LiveServer.start(PASSWORD)) {
            gone = stopped.url();
        }
        Map<String, JsonNode> noRoom = piped(List.of("mcp", "-u", url + "/rooms/nowhere", "-p", PASSWORD, "-a", AGENT),
            List.of(INITIALIZE));
        Map<String, JsonNode> noServer = piped(List.of("mcp", "-u", gone, "-p", PASSWORD, "-a", AGENT), List.of(INITIALIZE));

        assertTrue(noRoom.get("1").path("error").path("message").asText().startsWith("Room not found"), noRoom.toString());
        assertTrue(noServer.get("1").path("error").path("message").asText().startsWith("Cannot reach " + gone), noServer.toString());
    }

    @Test
    void readMessagesAnswersAtMostAboutOneHundredKilobytesAndLeavesTheRestUnreadForTheNextCall() throws Exception {
        List<String> answers = new ArrayList<>();
        inALargeRoom((poster, client) -> {
            for (int call = 0; call <= LARGE_ROOM_MESSAGES; call++) {
                String answer = text(client.callTool(new CallToolRequest("read_messages", Map.of())));
                answers.add(answer);
                if (!answer.contains(ToolText.MORE_UNREAD)) {
                    break;
                }
            }
        });
        String first = answers.get(0);

        assertTrue(first.endsWith("\n" + ToolText.MORE_UNREAD), first.substring(first.length() - 200));
        for (String answer : answers) {
            assertTrue(answer.length() <= ToolCatalog.RESULT_MAX_BYTES, "bounded: " + answer.length());
        }
        assertTrue(answers.size() > 2, "in several results: " + answers.size());
        assertEveryLargeRoomMessageOnceInOrder(answers);
    }

    @Test
    void aWaitThatFindsMoreThanOneResultHoldsAnswersTheFirstAndLeavesTheRestUnreadForReadMessages() throws Exception {
        inALargeRoom((poster, client) -> {
            String read = text(client.callTool(new CallToolRequest("read_messages", Map.of())));
            String waited = text(client.callTool(new CallToolRequest("wait_for_messages", Map.of("timeout_seconds", 2))));

            assertTrue(waited.length() <= ToolCatalog.RESULT_MAX_BYTES, "bounded: " + waited.length());
            assertTrue(waited.endsWith("\n" + ToolText.MORE_UNREAD), waited.substring(waited.length() - 100));
            List<String> answers = new ArrayList<>(List.of(read, waited));
            for (int call = 0; call < LARGE_ROOM_MESSAGES
                && answers.get(answers.size() - 1).contains(ToolText.MORE_UNREAD); call++) {
                answers.add(text(client.callTool(new CallToolRequest("read_messages", Map.of()))));
            }
            assertEveryLargeRoomMessageOnceInOrder(answers);
        });
    }

    @Test
    void aFullReadMessagesMovesTheReadReceiptToTheLastMessageItReturnedAndNoFurther() throws Exception {
        inALargeRoom((poster, client) -> {
            String first = text(client.callTool(new CallToolRequest("read_messages", Map.of())));
            assertTrue(first.endsWith("\n" + ToolText.MORE_UNREAD), first.substring(first.length() - 200));
            long lastReturned = first.lines().filter(line -> line.contains(" alice: "))
                .map(line -> Long.parseLong(line.substring(line.indexOf('#') + 1, line.indexOf(' ', line.indexOf('#')))))
                .reduce((a, b) -> b).orElseThrow();
            assertTrue(lastReturned < LARGE_ROOM_MESSAGES, "a full answer: " + lastReturned);

            assertEquals(lastReturned, readUpTo(poster, AGENT), "the receipt reaches what was returned, no further");
            for (int call = 0; call < LARGE_ROOM_MESSAGES
                && text(client.callTool(new CallToolRequest("read_messages", Map.of()))).contains(ToolText.MORE_UNREAD); call++) {
                // read on
            }
            assertEquals(LARGE_ROOM_MESSAGES, readUpTo(poster, AGENT), "and then the rest");
        });
    }

    /**
     * A room of its own (the others' reads stay small) holding {@link #LARGE_ROOM_MESSAGES} messages of
     * 60 KB from alice, 1.2 MB in all, more than one answer holds (one a tool result holds, and one of the
     * server's own); {@code use} gets a client of the room
     * and a stdio MCP client of it, initialized, closed after.
     */
    private static void inALargeRoom(LargeRoomTest use) throws Exception {
        String big = "x".repeat(60_000);
        withAClientOf(LiveServer.start(PASSWORD), (client, large) -> {
            RoomClient poster = new RoomClient(RoomAddress.parse(large.url()), PASSWORD);
            for (int i = 0; i < LARGE_ROOM_MESSAGES; i++) {
                poster.send("alice", i + " " + big, null, null);
            }
            use.check(poster, client);
        });
    }

    /** The answers of {@link #inALargeRoom} held each of alice's messages once, in order. */
    private static void assertEveryLargeRoomMessageOnceInOrder(List<String> answers) {
        List<String> seen = new ArrayList<>();
        for (String answer : answers) {
            answer.lines().filter(line -> line.contains(" alice: ")).forEach(line ->
                seen.add(line.substring(line.indexOf(" alice: ") + 8, line.indexOf(' ', line.indexOf(" alice: ") + 8))));
        }
        assertEquals(java.util.stream.IntStream.range(0, LARGE_ROOM_MESSAGES).mapToObj(Integer::toString).toList(), seen,
            "every message once, in order");
    }

    /** A test of {@link #inALargeRoom}. */
    private interface LargeRoomTest {
        void check(RoomClient poster, McpSyncClient client) throws Exception;
    }

    private static Long readUpTo(RoomClient room, String agent) {
        return room.agents().stream().filter(a -> a.getName().equals(agent)).findFirst().orElseThrow().getReadUpTo();
    }

    // fixtures

    private static CallToolResult call(String tool, Map<String, Object> arguments) {
        return mcp.callTool(new CallToolRequest(tool, arguments));
    }

    private static String text(CallToolResult result) {
        assertEquals(1, result.content().size(), result.toString());
        return ((TextContent) result.content().get(0)).text();
    }

    private static Message last() {
        List<Message> all = room.history();
        return all.get(all.size() - 1);
    }

    /** {@code agent-chat read} run in this JVM with the same state directory as the MCP server. */
    private static String readCommand() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = AgentChat.commandLine(
            new CliFactory(new CursorStore(state.resolve("agent-chat").resolve("cursors"))));
        commandLine.setOut(new PrintWriter(out, true));
        assertEquals(0, commandLine.execute("read", "-u", url, "-p", PASSWORD, "-a", AGENT));
        return out.toString();
    }

    /** Launches {@code agent-chat} from the test classpath, with the state directory under {@code state}. */
    /** An {@code agent-chat mcp} of its own as {@link #AGENT}, on another server than the shared one (not yet initialized). */
    private static McpSyncClient stdioClient(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("mcp", "-u", url, "-p", PASSWORD, "-a", AGENT));
        args.addAll(List.of(more));
        return McpClient.sync(new StdioClientTransport(agentChat(args.toArray(String[]::new)), McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
    }

    private static ServerParameters agentChat(String... args) {
        List<String> command = command(args);
        return ServerParameters.builder(command.get(0)).args(command.subList(1, command.size()))
            .addEnvVar("XDG_STATE_HOME", state.toString()).build();
    }

    private static Process start(ProcessBuilder builder) throws java.io.IOException {
        builder.environment().put("XDG_STATE_HOME", state.toString());
        return builder.start();
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            AgentChat.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
