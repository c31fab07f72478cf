package dev.agentchat.mcp;

import dev.agentchat.messages.Timestamps;

import dev.agentchat.TestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room's MCP endpoint driven by the official MCP Java SDK's Streamable HTTP client. */
class RemoteMcpJavaClientTest {
    private static final String ROOM_PASSWORD = "room-pw";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agent-chat.mcp.max-wait", "5s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listsTheSameToolsAsTheCommandLineServer() {
        try (McpSyncClient client = connect("/", "lister")) {
            List<String> names = client.listTools().tools().stream().map(Tool::name).toList();

            assertEquals(ToolCatalog.NAMES, names);
            assertEquals("agent-chat", client.getServerInfo().name());
        }
    }

    @Test
    void sentMessageIsPostedAsTheSessionsAgent() {
        try (McpSyncClient client = connect("/", "java-sender")) {
            CallToolResult sent = call(client, "send_message", Map.of("text", "hello from java", "to", List.of("bob")));

            assertFalse(sent.isError());
            assertTrue(text(sent).startsWith("Sent: ["), text(sent));
            assertTrue(text(sent).contains(" java-sender → bob: hello from java"), text(sent));
            String listed = server.get("/messages").body();
            assertTrue(listed.contains("\"agent\":\"java-sender\",\"text\":\"hello from java\""), listed);
        }
    }

    @Test
    void readMessagesShowsOnlyWhatTheAgentHasNotReadAcrossSessions() {
        String room = namedRoom("reading");
        post(room, "alice", "first");
        try (McpSyncClient first = connect(room, "reader")) {
            String read = text(call(first, "read_messages", Map.of()));
            assertTrue(read.startsWith("1 new message:\n["), read);
            assertTrue(read.contains(" alice: first"), read);
            assertEquals("No new messages.", text(call(first, "read_messages", Map.of())));
        }
        post(room, "alice", "second");
        try (McpSyncClient second = connect(room, "READER")) {
            String read = text(call(second, "read_messages", Map.of()));

            assertTrue(read.startsWith("1 new message:\n"), read);
            assertTrue(read.contains(" alice: second") && !read.contains("first"), read);
        }
        assertEquals("{\"after\":2}", get(room, "agents/reader/cursor"));
    }

    @Test
    void cursorSetThroughTheApiIsWhereReadMessagesStarts() {
        String room = namedRoom("shared-cursor");
        post(room, "alice", "old news");
        post(room, "alice", "fresh");
        HttpResponse<String> set = server.send(HttpRequest.newBuilder(server.uri(room + "agents/cli-user/cursor"))
            .header("X-Room-Password", ROOM_PASSWORD).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"after\":1}")).build());
        assertEquals(200, set.statusCode(), set.body());
        HttpResponse<String> beyond = server.send(HttpRequest.newBuilder(server.uri(room + "agents/cli-user/cursor"))
            .header("X-Room-Password", ROOM_PASSWORD).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"after\":3}")).build());
        assertEquals(400, beyond.statusCode(), beyond.body());
        assertTrue(beyond.body().contains("the room's newest message is #2"), "a cursor beyond the newest would read as a restart: "
            + beyond.body());
        try (McpSyncClient client = connect(room, "cli-user")) {
            String read = text(call(client, "read_messages", Map.of()));

            assertTrue(read.startsWith("1 new message:\n") && read.contains(" alice: fresh"), read);
        }
    }

    @Test
    void waitForMessagesWakesWhenSomeoneElsePostsButNotForTheAgentsOwnMessages() {
        String room = namedRoom("waiting");
        try (McpSyncClient client = connect(room, "waiter")) {
            call(client, "read_messages", Map.of());
            CompletableFuture<CallToolResult> waiting =
                CompletableFuture.supplyAsync(() -> call(client, "wait_for_messages", Map.of("timeout_seconds", 4)));
            await().atMost(Duration.ofSeconds(3)).until(() -> get(room, "agents").contains("\"waiter\""));
            // the session holds its name: its own messages go through it (a post under it with the password is refused)
            assertEquals(403, server.send(HttpRequest.newBuilder(server.uri(room + "messages"))
                .header("X-Room-Password", password(room)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"waiter\",\"text\":\"spoof\"}")).build()).statusCode());
            call(client, "send_message", Map.of("text", "talking to myself"));
            post(room, "carol", "@waiter ping");

            String woken = text(waiting.join());

            assertTrue(woken.contains(" carol: @waiter ping"), woken);
        }
    }

    @Test
    void aMentionPostedAfterReadMessagesWakesALaterWaitForMentionsAndOneItShowedDoesNot() {
        String room = namedRoom("mention-after-read");
        post(room, "planner", "@reviewer seen before");
        try (McpSyncClient client = connect(room, "reviewer")) {
            assertTrue(text(call(client, "read_messages", Map.of())).contains(" planner: @reviewer seen before"));
            post(room, "planner", "@reviewer please look");

            String woken = text(call(client, "wait_for_messages", Map.of("timeout_seconds", 4, "mentions_only", true)));

            assertTrue(woken.startsWith("1 new message:\n") && woken.contains(" planner: @reviewer please look"), woken);
            post(room, "planner", "@reviewer and this");
            assertTrue(text(call(client, "read_messages", Map.of())).contains(" planner: @reviewer and this"));
            assertEquals("No new messages that mention you (@reviewer) or are addressed to you. (waited 0.5 s)",
                text(call(client, "wait_for_messages", Map.of("timeout_seconds", 0.5, "mentions_only", true))),
                "a mention read with everything else is not news to a wait for mentions");
        }
    }

    @Test
    void firstWaitWakesOnlyForNewMessagesAndLeavesTheUnreadHistoryForReadMessages() {
        String room = namedRoom("late-joiner");
        post(room, "alice", "history");
        try (McpSyncClient client = connect(room, "newcomer")) {
            assertEquals("No new messages. (waited 0.5 s)",
                text(call(client, "wait_for_messages", Map.of("timeout_seconds", 0.5))), "the history does not wake it");
            assertEquals("#1 read by: alice\nNot yet: newcomer", text(call(client, "who_has_read", Map.of("id", 1))),
                "a wait that gave nothing moves no read receipt over the history it skipped");
            post(room, "carol", "fresh");

            String woken = text(call(client, "wait_for_messages", Map.of("timeout_seconds", 4)));
            assertTrue(woken.startsWith("1 new message:\n") && woken.contains(" carol: fresh"),
                "posted between two waits, it wakes the second: " + woken);
            assertEquals("{\"after\":0}", get(room, "agents/newcomer/cursor"), "waiting marked nothing read");

            String read = text(call(client, "read_messages", Map.of()));
            assertTrue(read.startsWith("2 new messages:\n") && read.contains(" alice: history") && read.contains(" carol: fresh"),
                read);
            post(room, "carol", "later");
            assertTrue(text(call(client, "wait_for_messages", Map.of("timeout_seconds", 4))).contains(" carol: later"));
            assertEquals("No new messages.", text(call(client, "read_messages", Map.of())),
                "once read, a wait marks what it returns read");
        }
    }

    @Test
    void waitForMessagesInARoomTheHostEndsSaysAtOnceThatTheRoomIsGone() {
        String room = namedRoom("ending");
        try (McpSyncClient client = connect(room, "stayer")) {
            call(client, "read_messages", Map.of());
            CompletableFuture<CallToolResult> waiting =
                CompletableFuture.supplyAsync(() -> call(client, "wait_for_messages", Map.of("timeout_seconds", 5)));
            await().atMost(Duration.ofSeconds(3)).until(() -> get(room, "agents").contains("\"stayer\""));
            assertEquals(204, server.send(HttpRequest.newBuilder(server.uri(room + "room"))
                .header("Authorization", "Bearer " + server.live().hostKey()).DELETE().build()).statusCode());

            CallToolResult gone = waiting.orTimeout(3, TimeUnit.SECONDS).join();

            assertTrue(gone.isError(), text(gone));
            assertEquals("Error: Room not found: this room has ended (a named room ends when its host ends it, after its TTL "
                + "with no request or stream, and when its server restarts); ask the host for a new invite", text(gone));
        }
    }

    @Test
    void roomInfoTellsWhatTheRoomIsForAndWhenTheLoopBrakeHoldsAgents() {
        try (TestServer braked = TestServer.start(Map.of("agent-chat.max-agent-turns", 3));
             McpSyncClient client = connect(braked, "/", "planner")) {
            assertEquals("Room: agent-chat\nTopic: none (the host has not said what the room is for)\n"
                + "Loop brake not engaged: 0 agent messages in a row (limit 3)", text(call(client, "room_info", Map.of())));
            assertEquals(200, braked.send(HttpRequest.newBuilder(braked.uri("/room/topic"))
                .header("Authorization", "Bearer " + braked.live().hostKey()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"topic\":\"Plan the 2.0 release\"}")).build()).statusCode());
            for (int i = 0; i < 3; i++) {
                post(braked, "/", "bot", "step " + i);
            }

            CallToolResult info = call(client, "room_info", Map.of());

            assertFalse(info.isError());
            assertEquals("Room: agent-chat\nTopic: Plan the 2.0 release\n"
                + "🛑 Loop brake engaged: 3 agent messages in a row (limit 3)\n"
                + "Agents' messages are refused until a person posts or the host releases the brake. "
                + "Stop posting and wait for people.", text(info));
            CallToolResult refused = call(client, "send_message", Map.of("text", "step 3"));
            assertTrue(refused.isError());
            assertEquals("Error: 3 agent messages in a row without a human one: agents may post again once a person posts "
                + "or the host releases the brake. Stop posting and wait for people; room_info shows the brake.", text(refused));
        }
    }

    @Test
    void waitForMessagesAnswersAfterItsTimeoutWithNothingNew() {
        String room = namedRoom("quiet");
        try (McpSyncClient client = connect(room, "sleeper")) {
            String answer = text(call(client, "wait_for_messages", Map.of("timeout_seconds", 0.5)));

            assertEquals("No new messages. (waited 0.5 s)", answer);
        }
    }

    @Test
    void waitOutsideTheServersBoundsIsAToolErrorGivingTheRange() {
        try (McpSyncClient client = connect("/", "impatient")) {
            for (double seconds : new double[] {-1, 3600}) {
                CallToolResult result = call(client, "wait_for_messages", Map.of("timeout_seconds", seconds));

                assertTrue(result.isError());
                assertEquals("Error: 'timeout_seconds' must be between 0 and 5 (call again to wait longer)", text(result));
            }
            CallToolResult missing = call(client, "wait_for_messages", Map.of());
            assertEquals("Error: 'timeout_seconds' is required: a number of seconds from 0 to 5 (call again to wait longer)",
                text(missing));
        }
    }

    @Test
    void messageIdBelowOneIsAToolErrorGivingTheRange() {
        try (McpSyncClient client = connect("/", "acker")) {
            for (String tool : List.of("ack_message", "who_has_read")) {
                CallToolResult zero = call(client, tool, Map.of("id", 0));
                CallToolResult missing = call(client, tool, Map.of());

                assertTrue(zero.isError());
                assertEquals("Error: 'id' must be the id of a message: a whole number from 1", text(zero));
                assertEquals("Error: 'id' is required: the id of a message (a whole number from 1)", text(missing));
            }
        }
    }

    @Test
    void unknownOrWronglyTypedArgumentsAreToolErrorsNamingTheArgument() {
        try (McpSyncClient client = connect("/", "sloppy")) {
            CallToolResult unknown = call(client, "send_message", Map.of("text", "hi", "colour", "red"));
            CallToolResult stringForList = call(client, "send_message", Map.of("text", "hi", "to", "alice"));
            CallToolResult numberInList = call(client, "send_message", Map.of("text", "hi", "to", List.of("alice", 7)));
            CallToolResult stringForNumber = call(client, "wait_for_messages", Map.of("timeout_seconds", "5"));
            CallToolResult stringForFlag = call(client, "read_messages", Map.of("mentions_only", "yes"));
            CallToolResult anyForNone = call(client, "list_agents", Map.of("verbose", true));

            assertEquals("Error: Unknown argument 'colour': send_message takes text, to, reply_to, ack_requested",
                text(unknown));
            assertEquals("Error: 'to' must be an array of strings, not a string", text(stringForList));
            assertEquals("Error: 'to' must be an array of strings, not an array holding a number", text(numberInList));
            assertEquals("Error: 'timeout_seconds' must be a number, not a string", text(stringForNumber));
            assertEquals("Error: 'mentions_only' must be true or false, not a string", text(stringForFlag));
            assertEquals("Error: Unknown argument 'verbose': list_agents takes no arguments", text(anyForNone));
            for (CallToolResult result : List.of(unknown, stringForList, numberInList, stringForNumber, stringForFlag, anyForNone)) {
                assertTrue(result.isError(), text(result));
            }
            assertFalse(server.get("/messages").body().contains("\"agent\":\"sloppy\""), "nothing is sent");
        }
    }

    @Test
    void kickEndsTheSessionsWaitAndFailsEveryLaterToolCall() {
        String room = namedRoom("moderated");
        try (McpSyncClient client = connect(room, "rogue")) {
            assertFalse(call(client, "send_message", Map.of("text", "before")).isError());
            call(client, "read_messages", Map.of());
            CompletableFuture<CallToolResult> waiting =
                CompletableFuture.supplyAsync(() -> call(client, "wait_for_messages", Map.of("timeout_seconds", 5)));
            await().atMost(Duration.ofSeconds(3)).until(() -> get(room, "agents").contains("\"rogue\",\"online\":true"));

            HttpResponse<String> kicked = server.send(HttpRequest.newBuilder(server.uri(room + "agents/rogue/kick"))
                .header("X-Room-Password", ROOM_PASSWORD).header("Authorization", "Bearer " + server.live().hostKey())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, kicked.statusCode(), kicked.body());

            Matcher until = Pattern.compile("\"blocked_until\":\"([^\"]+)\"").matcher(kicked.body());
            assertTrue(until.find(), kicked.body());
            String removed = "Error: The host removed 'rogue' from this room; the name is blocked until "
                + Timestamps.format(OffsetDateTime.parse(until.group(1)));
            CallToolResult wait = waiting.orTimeout(3, TimeUnit.SECONDS).join();
            assertTrue(wait.isError(), text(wait));
            assertEquals(removed, text(wait));
            for (String tool : List.of("send_message", "read_messages", "list_agents")) {
                CallToolResult result = call(client, tool, tool.equals("send_message") ? Map.of("text", "after") : Map.of());

                assertTrue(result.isError(), tool + ": " + text(result));
                assertEquals(removed, text(result));
            }
            assertFalse(get(room, "messages").contains("\"text\":\"after\""), "nothing is sent");
        }
    }

    @Test
    void listAgentsShowsANameTheHostKickedAsRemovedUntilWhen() {
        String room = namedRoom("kick-listed");
        try (McpSyncClient watcher = connect(room, "watcher")) {
            post(room, "spammer", "buy now");
            HttpResponse<String> kicked = server.send(HttpRequest.newBuilder(server.uri(room + "agents/spammer/kick"))
                .header("Authorization", "Bearer " + server.live().hostKey()).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, kicked.statusCode(), kicked.body());
            Matcher until = Pattern.compile("\"blocked_until\":\"([^\"]+)\"").matcher(kicked.body());
            assertTrue(until.find(), kicked.body());

            String agents = text(call(watcher, "list_agents", Map.of()));

            assertTrue(agents.contains("\n- spammer: removed by the host until " + until.group(1) + ", last seen "), agents);
            assertTrue(agents.matches("(?s)2 agents \\(1 online\\):\n- watcher \\(you\\): online.*"), agents);
        }
    }

    @Test
    void listAgentsMarksTheSessionsAgent() {
        try (McpSyncClient client = connect("/", "counted")) {
            call(client, "send_message", Map.of("text", "here"));

            String agents = text(call(client, "list_agents", Map.of()));

            assertTrue(agents.contains("- counted (you): online"), agents);
        }
    }

    private static McpSyncClient connect(String base, String agent) {
        return connect(server, base, agent);
    }

    @Test
    void aLongTranscriptComesInPartsEachWithinTheToolsSizeAndTogetherHoldingEveryMessageOnce() {
        String base = namedRoom("long-transcript");
        int count = 60;
        for (int i = 1; i <= count; i++) {
            post(base, "writer", "part " + i + " " + "x".repeat(4000));
        }
        try (McpSyncClient client = connect(base, "reader")) {
            List<Long> seen = new ArrayList<>();
            long after = 0;
            for (int part = 0; part < 10; part++) {
                CallToolResult result = call(client, "export_transcript", Map.of("after", after));
                String transcript = text(result);
                assertFalse(result.isError(), transcript);
                assertTrue(transcript.getBytes(StandardCharsets.UTF_8).length <= ToolCatalog.RESULT_MAX_BYTES + 200,
                    "part " + part + ": " + transcript.length() + " characters");
                Matcher ids = Pattern.compile("\\*\\*#(\\d+)\\*\\*").matcher(transcript);
                while (ids.find()) {
                    seen.add(Long.parseLong(ids.group(1)));
                }
                Matcher more = Pattern.compile("More messages follow #(\\d+)").matcher(transcript);
                if (!more.find()) {
                    break;
                }
                after = Long.parseLong(more.group(1));
                assertEquals(seen.get(seen.size() - 1), after, "the rest begins after the last message shown");
            }
            assertEquals(LongStream.rangeClosed(1, count).boxed().toList(), seen, "every message once, in order");
            assertTrue(after > 0, "the transcript came in more than one part");

            String lines = text(call(client, "export_transcript", Map.of("format", "jsonl")));
            String last = lines.lines().reduce((first, second) -> second).orElseThrow();
            assertTrue(last.matches("\\{\"more_after\":\\d+}"), last);
            CallToolResult negative = call(client, "export_transcript", Map.of("after", -1));
            assertTrue(negative.isError());
            assertEquals("Error: 'after' must be the id of a message (a whole number from 0)", text(negative));
        }
    }

    @Test
    void aFirstReadOfALongHistoryComesInResultsAModelIsGivenWholeAndLeavesNothingUnseenMarkedRead() {
        // one read answered up to the server's 1 MiB and marked it all read: more than an MCP host passes a model
        String base = namedRoom("long-history");
        int count = 12;
        for (int i = 1; i <= count; i++) {
            post(base, "writer", "line " + i + " " + "y".repeat(30_000));
        }
        try (McpSyncClient client = connect(base, "newcomer")) {
            List<Long> seen = new ArrayList<>();
            for (int call = 0; call < count; call++) {
                String read = text(call(client, "read_messages", Map.of()));
                assertTrue(read.getBytes(StandardCharsets.UTF_8).length <= ToolCatalog.RESULT_MAX_BYTES + 500,
                    "call " + call + ": " + read.length() + " characters");
                Matcher ids = Pattern.compile("#(\\d+) writer: line").matcher(read);
                while (ids.find()) {
                    seen.add(Long.parseLong(ids.group(1)));
                }
                if (!read.contains(ToolText.MORE_UNREAD)) {
                    break;
                }
            }
            assertEquals(LongStream.rangeClosed(1, count).boxed().toList(), seen, "every message once, in order");
        }
    }

    @Test
    void aWaitThatFindsMoreThanOneResultHoldsAnswersTheFirstAndLeavesTheRestUnread() {
        // a wait answered up to the server's 1 MiB at once, all of it marked read
        String base = namedRoom("long-wait");
        try (McpSyncClient client = connect(base, "waiter")) {
            call(client, "read_messages", Map.of());
            for (int i = 1; i <= 8; i++) {
                post(base, "writer", "burst " + i + " " + "z".repeat(30_000));
            }
            String waited = text(call(client, "wait_for_messages", Map.of("timeout_seconds", 5)));
            assertTrue(waited.getBytes(StandardCharsets.UTF_8).length <= ToolCatalog.RESULT_MAX_BYTES + 500, waited.length() + "");
            assertTrue(waited.endsWith("\n" + ToolText.MORE_UNREAD), waited.substring(waited.length() - 100));
            List<Long> seen = new ArrayList<>();
            for (String answer = waited; ; answer = text(call(client, "read_messages", Map.of()))) {
                Matcher ids = Pattern.compile("#(\\d+) writer: burst").matcher(answer);
                while (ids.find()) {
                    seen.add(Long.parseLong(ids.group(1)));
                }
                if (!answer.contains(ToolText.MORE_UNREAD) || seen.size() > 8) {
                    break;
                }
            }
            assertEquals(LongStream.rangeClosed(1, 8).boxed().toList(), seen, "every message once, in order");
        }
    }

    private static McpSyncClient connect(TestServer on, String base, String agent) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
            .builder("http://localhost:" + on.port())
            .endpoint(base + "mcp")
            .requestBuilder(HttpRequest.newBuilder()
                .header("X-Room-Password", password(base))
                .header("X-Agent-Name", agent))
            .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
        return client;
    }

    private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new CallToolRequest(tool, arguments));
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    /** Creates a named room; returns its base path ({@code /rooms/NAME/}). */
    private static String namedRoom(String name) {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/rooms/" + name))
            .header("X-Room-Password", ROOM_PASSWORD).header("Authorization", "Bearer " + server.live().hostKey())
            .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        return "/rooms/" + name + "/";
    }

    private static void post(String base, String agent, String text) {
        post(server, base, agent, text);
    }

    private static void post(TestServer on, String base, String agent, String text) {
        String body = "{\"agent\":" + TestServer.quote(agent) + ",\"text\":" + TestServer.quote(text) + "}";
        HttpResponse<String> posted = on.send(HttpRequest.newBuilder(on.uri(base + "messages"))
            .header("X-Room-Password", password(base)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(200, posted.statusCode(), posted.body());
    }

    private static String get(String base, String path) {
        return server.send(HttpRequest.newBuilder(server.uri(base + path)).header("X-Room-Password", password(base))
            .GET().build()).body();
    }

    private static String password(String base) {
        return base.equals("/") ? TestServer.PASSWORD : ROOM_PASSWORD;
    }
}
