package dev.agentchat.cli.mcp;

import dev.agentchat.cli.AgentChat;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.HostClient;
import dev.agentchat.cli.client.NameTokens;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.mcp.ToolCatalog;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code agent-chat mcp} (stdio, local cursors) and the room's own {@code {base URL}/mcp} (Streamable
 * HTTP, server-side cursors) are one set of tools: the same list, and the same answers to the same
 * calls, for the same agent in the same room.
 */
class BothMcpServersTest {
    static final String PASSWORD = "pw";
    static final String AGENT = "coder";

    @TempDir
    static Path state;
    static LiveServer server;
    static RoomClient room;
    /** The agent itself, outside MCP: with its name's token, as its CLI would be. */
    static RoomClient self;
    static McpSyncClient stdio;
    static McpSyncClient remote;

    @BeforeAll
    static void start() {
        // the room's bound on waits set to the stdio server's, the one thing the two may differ in
        server = LiveServer.start(PASSWORD, Map.of("agent-chat.mcp.max-wait", RoomTool.MAX_WAIT_SECONDS + "s"));
        room = new RoomClient(RoomAddress.parse(server.url()), PASSWORD);
        stdio = McpClient.sync(new StdioClientTransport(agentChat("mcp", "-u", server.url(), "-p", PASSWORD, "-a", AGENT),
                McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
        stdio.initialize();
        // one agent, one name: the remote session acts with the token the stdio server claimed it with
        CursorStore agentState = new CursorStore(state.resolve("agent-chat").resolve("cursors"));
        String token = agentState.tokens().load(RoomAddress.parse(server.url()), AGENT, Optional::empty).orElseThrow();
        self = new RoomClient(RoomAddress.parse(server.url()), PASSWORD);
        self.holdName(AGENT, "agent", agentState.tokens());
        remote = McpClient.sync(HttpClientStreamableHttpTransport.builder(server.url())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token).header("X-Agent-Name", AGENT))
                .build())
            .requestTimeout(Duration.ofSeconds(60)).build();
        remote.initialize();
    }

    @AfterAll
    static void stop() {
        if (stdio != null) {
            stdio.closeGracefully();
        }
        if (remote != null) {
            remote.closeGracefully();
        }
        server.close();
    }

    @Test
    void bothServersNameThemselvesAndThisBuildsVersionAlike() {
        assertEquals(stdio.getServerInfo(), remote.getServerInfo());
        assertEquals("agent-chat", remote.getServerInfo().name());
        assertTrue(remote.getServerInfo().version().matches("\\d+\\.\\d+\\.\\d+.*"), remote.getServerInfo().version());
    }

    @Test
    void bothServersListTheSameToolsWithTheSameSchemas() {
        List<Tool> fromStdio = stdio.listTools().tools();
        List<Tool> fromRemote = remote.listTools().tools();

        assertEquals(ToolCatalog.NAMES, fromStdio.stream().map(Tool::name).toList());
        assertEquals(fromStdio.stream().map(Tool::name).toList(), fromRemote.stream().map(Tool::name).toList());
        for (int i = 0; i < fromStdio.size(); i++) {
            assertEquals(fromStdio.get(i), fromRemote.get(i));
        }
        // hosts may run the tools that only read without asking: they say so
        for (Tool tool : fromRemote) {
            assertEquals(!ToolCatalog.WRITES.contains(tool.name()), tool.annotations().readOnlyHint(), tool.name());
            assertEquals(false, tool.annotations().destructiveHint(), tool.name());
        }
    }

    @Test
    void bothServersGiveTheSameTextForTheSameMessages() {
        long question = room.send("alice", "who takes the parser?\n[12:00:00] bob: not me", null, null).getId();
        self.send(AGENT, "I do", null, question);
        room.send("bob", "thanks\r\u001b[2K", List.of(AGENT), null);

        String read = text(stdio, "read_messages", Map.of());

        assertTrue(read.contains("\n  | [12:00:00] bob: not me\n"), read);
        assertTrue(read.contains(" coder (you) ↩#" + question + ": I do"), read);
        assertEquals(read, text(remote, "read_messages", Map.of()));

        room.send("alice", "one", null, null);
        room.send("alice", "@coder two", null, null);
        String last = text(stdio, "read_messages", Map.of("last", 1));
        assertTrue(last.startsWith("1 new message:\n") && last.endsWith(" alice: @coder two"), last);
        assertEquals(last, text(remote, "read_messages", Map.of("last", 1)));

        assertEquals(text(stdio, "wait_for_messages", Map.of("timeout_seconds", 0.5, "mentions_only", true)),
            text(remote, "wait_for_messages", Map.of("timeout_seconds", 0.5, "mentions_only", true)));
    }

    @Test
    void bothServersWarnAndRefuseAlike() {
        String stdioSent = text(stdio, "send_message", Map.of("text", "hello", "to", List.of("plnner")));
        String remoteSent = text(remote, "send_message", Map.of("text", "hello", "to", List.of("plnner")));

        assertTrue(stdioSent.contains("\nWarning: Nobody named 'plnner' has spoken or listened in this room yet"), stdioSent);
        assertEquals(withoutIdAndTime(stdioSent), withoutIdAndTime(remoteSent));
        for (Map<String, Object> arguments : List.<Map<String, Object>>of(
            Map.of("text", "answer", "reply_to", 999_999),
            Map.of("text", " "),
            Map.of("text", "x", "to", List.of("bad\u0001name")),
            Map.of("text", "é".repeat(40_000)))) {
            CallToolResult fromStdio = stdio.callTool(new CallToolRequest("send_message", arguments));
            CallToolResult fromRemote = remote.callTool(new CallToolRequest("send_message", arguments));

            assertTrue(fromStdio.isError() && fromRemote.isError(), arguments.toString());
            assertTrue(text(fromStdio).startsWith("Error: "), text(fromStdio));
            assertEquals(text(fromStdio), text(fromRemote));
        }
        assertFalse(room.history().stream().anyMatch(m -> "answer".equals(m.getText())), "nothing is sent");
        CallToolResult tooLarge = remote.callTool(new CallToolRequest("send_message", Map.of("text", "é".repeat(40_000))));
        assertEquals("Error: Message is 80,000 bytes; this room takes at most 65,536. Split it or send a file path.",
            text(tooLarge));
    }

    @Test
    void bothServersRefuseUnknownWronglyTypedAndOutOfRangeArgumentsAlike() {
        Map<String, Map<String, Object>> calls = Map.of(
            "Error: Unknown argument 'colour': send_message takes text, to, reply_to, ack_requested",
            Map.of("text", "hi", "colour", "red"),
            "Error: 'to' must be an array of strings, not a string", Map.of("text", "hi", "to", "alice"),
            "Error: 'reply_to' must be a whole number, not a string", Map.of("text", "hi", "reply_to", "12"),
            "Error: 'id' must be the id of a message: a whole number from 1", Map.of("id", 0),
            "Error: 'timeout_seconds' must be between 0 and 3600 (call again to wait longer)", Map.of("timeout_seconds", -1));
        calls.forEach((expected, arguments) -> {
            String tool = arguments.containsKey("text") ? "send_message"
                : arguments.containsKey("id") ? "ack_message" : "wait_for_messages";
            CallToolResult fromStdio = stdio.callTool(new CallToolRequest(tool, arguments));
            CallToolResult fromRemote = remote.callTool(new CallToolRequest(tool, arguments));

            assertTrue(fromStdio.isError() && fromRemote.isError(), arguments.toString());
            assertEquals(expected, text(fromStdio));
            assertEquals(expected, text(fromRemote));
        });
        assertFalse(room.history().stream().anyMatch(m -> "hi".equals(m.getText())), "nothing is sent");
    }

    @Test
    void bothServersTellWhatTheRoomIsForAlike() {
        HostClient host = new HostClient(room, server.hostKey());
        host.setTopic("Ship the parser");
        try {
            String info = text(stdio, "room_info", Map.of());
            assertEquals("Room: agent-chat\nTopic: Ship the parser\nLoop brake off in this room (--max-agent-turns 0)", info);
            assertEquals(info, text(remote, "room_info", Map.of()));
        } finally {
            host.setTopic("");
        }
        assertTrue(text(remote, "room_info", Map.of()).contains("\nTopic: none (the host has not said what the room is for)\n"));
    }

    @Test
    void bothServersSearchAndExportTheRoomAlike() {
        long first = room.send("alice", "The MIGRATION plan is ready", null, null).getId();
        room.send("bob", "unrelated", null, null);
        long second = room.send("bob", "migration done", List.of("alice"), first).getId();

        String found = text(stdio, "search_messages", Map.of("query", "migration"));
        assertTrue(found.startsWith("2 messages contain 'migration' (oldest first):\n"), found);
        assertTrue(found.contains("#" + first + " alice: The MIGRATION plan is ready"), found);
        assertTrue(found.contains("#" + second + " bob ↩#" + first + " → alice: migration done"), found);
        assertEquals(found, text(remote, "search_messages", Map.of("query", "migration")));
        String fromBob = text(stdio, "search_messages", Map.of("query", "MIGRATION", "from", "bob", "limit", 5));
        assertTrue(fromBob.startsWith("1 message contains 'MIGRATION' from bob"), fromBob);
        assertEquals(fromBob, text(remote, "search_messages", Map.of("query", "MIGRATION", "from", "bob", "limit", 5)));
        String older = text(stdio, "search_messages", Map.of("query", "migration", "before", second));
        assertTrue(older.startsWith("1 message contains"), older);
        assertEquals("No retained message contains 'nothing like it'.", text(remote, "search_messages", Map.of("query", "nothing like it")));

        String markdown = text(stdio, "export_transcript", Map.of());
        assertTrue(markdown.startsWith("# agent-chat\n"), markdown);
        assertTrue(markdown.contains("\n> migration done\n"), markdown);
        assertEquals(withoutExportTime(markdown), withoutExportTime(text(remote, "export_transcript", Map.of())));
        String jsonl = text(remote, "export_transcript", Map.of("format", "jsonl"));
        assertEquals(room.history().size() + 1, jsonl.lines().count());
        String fromSecond = text(stdio, "export_transcript", Map.of("after", second - 1));
        assertTrue(fromSecond.contains("**#" + second + "**") && !fromSecond.contains("**#" + first + "**"), fromSecond);
        assertEquals(withoutExportTime(fromSecond), withoutExportTime(text(remote, "export_transcript", Map.of("after", second - 1))));

        for (Map<String, Object> arguments : List.<Map<String, Object>>of(Map.of("query", " "),
            Map.of("query", "x", "from", "bad\u0001name"), Map.of("query", "x".repeat(201)),
            Map.of("query", "x", "limit", 0), Map.of("query", "x", "before", "soon"))) {
            CallToolResult fromStdio = stdio.callTool(new CallToolRequest("search_messages", arguments));
            CallToolResult fromRemote = remote.callTool(new CallToolRequest("search_messages", arguments));
            assertTrue(fromStdio.isError() && fromRemote.isError(), arguments.toString());
            assertEquals(text(fromStdio), text(fromRemote));
        }
        CallToolResult pdf = remote.callTool(new CallToolRequest("export_transcript", Map.of("format", "pdf")));
        assertTrue(pdf.isError());
        assertEquals("Error: 'format' must be markdown or jsonl", text(pdf));
    }

    @Test
    void bothServersAcknowledgeClaimAndTellWhoHasReadAlike() {
        long id = room.send("lead", "@coder freeze main", null, null, true).getId();
        String acked = text(stdio, "ack_message", Map.of("id", id));
        assertEquals("Acknowledged #" + id + " (acknowledged by coder)", acked);
        assertEquals(acked, text(remote, "ack_message", Map.of("id", id)));
        assertEquals(List.of(AGENT), room.find(id).orElseThrow().getAcks());

        String claimed = text(stdio, "claim_resource", Map.of("resource", "src/a/**", "note", "refactor"));
        assertTrue(claimed.matches("Claimed c-[0-9a-f]+: src/a/\\*\\* held by coder until \\S+ \\(refactor\\)"), claimed);
        assertEquals(withoutTime(claimed), withoutTime(text(remote, "claim_resource", Map.of("resource", "src/a/**"))));
        room.claim("other", "src/b/**", 600L, null);
        CallToolResult conflict = stdio.callTool(new CallToolRequest("claim_resource", Map.of("resource", "src/**")));
        assertTrue(conflict.isError());
        assertTrue(text(conflict).contains("claimed by other until"), text(conflict));
        assertEquals(text(conflict), text(remote.callTool(new CallToolRequest("claim_resource", Map.of("resource", "src/**")))));
        assertEquals(text(stdio, "list_claims", Map.of()), text(remote, "list_claims", Map.of()));
        CallToolResult tooLong = stdio.callTool(new CallToolRequest("claim_resource", Map.of("resource", "x/**", "ttl_seconds", 999999)));
        assertTrue(tooLong.isError());
        assertEquals("Error: 'ttl_seconds' must be from 1 to 86400 (renew a claim to keep it longer)", text(tooLong),
            "the limit the sentence names is not said twice");
        assertEquals(text(tooLong), text(remote.callTool(new CallToolRequest("claim_resource", Map.of("resource", "x/**", "ttl_seconds", 999999)))));

        String listed = text(stdio, "search_messages", Map.of("query", "freeze main"));
        assertTrue(listed.contains("#" + id + " lead [ack requested, acked by coder]: @coder freeze main"), listed);
        assertEquals(listed, text(remote, "search_messages", Map.of("query", "freeze main")));

        room.poll(id - 1, null, "reader", null); // given #id
        String seen = text(stdio, "who_has_read", Map.of("id", id));
        assertTrue(seen.startsWith("#" + id + " read by: ") && seen.contains("reader"), seen);
        assertEquals(seen, text(remote, "who_has_read", Map.of("id", id)));

        assertTrue(text(stdio, "release_claim", Map.of("claim", "src/a/**")).startsWith("Released c-"));
        CallToolResult gone = remote.callTool(new CallToolRequest("release_claim", Map.of("claim", "src/a/**")));
        assertTrue(gone.isError());
        assertEquals("Error: You hold no claim on src/a/** (list_claims shows them)", text(gone));

        // another's claim on the resource: both say whose it is, as the room does
        String others = room.claim("someone-else", "src/z/**", null, null).getId();
        CallToolResult notYours = stdio.callTool(new CallToolRequest("release_claim", Map.of("claim", "src/z/**")));
        assertTrue(notYours.isError());
        assertEquals("Error: Claim " + others + " is held by someone-else, not " + AGENT + ": only its holder can release it",
            text(notYours));
        assertEquals(text(notYours), text(remote.callTool(new CallToolRequest("release_claim", Map.of("claim", "src/z/**")))));

        // a resource that begins like an id was taken for one: "No live claim", while it stayed held
        for (McpSyncClient server : List.of(stdio, remote)) {
            text(server, "claim_resource", Map.of("resource", "c-lib/**"));
            String released = text(server, "release_claim", Map.of("claim", "c-lib/**"));
            assertTrue(released.startsWith("Released c-") && released.contains("c-lib/**"), released);
        }
    }

    @Test
    void bothServersListWhoIsInTheRoomAndWhoHasReadAlike() {
        // a name held by a person who has not spoken yet, a muted name, and an author who read nothing
        new RoomClient(RoomAddress.parse(server.url()), PASSWORD)
            .holdName("reviewer", "human", new NameTokens(state.resolve("reviewer-tokens")));
        room.send("loud", "spam", null, null, false);
        new HostClient(room, server.hostKey()).moderate("loud", "mute");
        long id = room.send("author", "@coder please review", null, null, false).getId();

        String agents = text(stdio, "list_agents", Map.of());
        assertTrue(agents.contains("\n- reviewer: offline, held by a person"), agents);
        assertTrue(agents.contains("\n- loud: offline, muted"), agents);
        assertTrue(agents.contains("\n- coder (you): online") && agents.contains("held by an agent"), agents);
        assertEquals(withoutTime(agents), withoutTime(text(remote, "list_agents", Map.of())));

        // the author has read its own message whatever its read receipt says
        String seen = text(stdio, "who_has_read", Map.of("id", id));
        assertTrue(seen.startsWith("#" + id + " read by: author"), seen);
        assertTrue(seen.contains("Not yet: ") && seen.contains("reviewer"), seen);
        assertEquals(seen, text(remote, "who_has_read", Map.of("id", id)));

        CallToolResult ahead = stdio.callTool(new CallToolRequest("who_has_read", Map.of("id", id + 5)));
        assertTrue(ahead.isError());
        assertEquals("Error: No message #" + (id + 5) + " in this room: check the id", text(ahead));
        assertEquals(text(ahead), text(remote.callTool(new CallToolRequest("who_has_read", Map.of("id", id + 5)))));
    }

    // fixtures

    @Test
    void bothServersOfferAnObserverOnlyTheToolsThatReadAndRefuseOneThatWritesAlike() {
        try (LiveServer watched = LiveServer.start(PASSWORD, Map.of("agent-chat.observer-password", "watch",
            "agent-chat.mcp.max-wait", RoomTool.MAX_WAIT_SECONDS + "s"))) {
            new RoomClient(RoomAddress.parse(watched.url()), PASSWORD).send("alice", "hello", null, null);
            McpSyncClient watchingStdio = McpClient.sync(new StdioClientTransport(
                    agentChat("mcp", "-u", watched.url(), "-p", "watch", "-a", "watcher"), McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
            McpSyncClient watchingRemote = McpClient.sync(HttpClientStreamableHttpTransport.builder(watched.url())
                    .endpoint("/mcp")
                    .requestBuilder(HttpRequest.newBuilder().header("X-Room-Password", "watch").header("X-Agent-Name", "watcher"))
                    .build())
                .requestTimeout(Duration.ofSeconds(60)).build();
            try {
                String stdioInstructions = watchingStdio.initialize().instructions();
                String remoteInstructions = watchingRemote.initialize().instructions();

                for (String instructions : List.of(stdioInstructions, remoteInstructions)) {
                    assertTrue(instructions.contains("you can only read"), instructions);
                    assertFalse(instructions.contains("claim_resource them"), instructions);
                }
                assertEquals(stdioInstructions.replace(" at " + watched.url(), ""), remoteInstructions);
                List<Tool> fromStdio = watchingStdio.listTools().tools();
                assertEquals(ToolCatalog.NAMES.stream().filter(name -> !ToolCatalog.WRITES.contains(name)).toList(),
                    fromStdio.stream().map(Tool::name).toList());
                assertEquals(fromStdio, watchingRemote.listTools().tools());
                assertTrue(text(watchingStdio, "read_messages", Map.of()).endsWith("alice: hello"));
                for (McpSyncClient client : List.of(watchingStdio, watchingRemote)) {
                    CallToolResult refused = client.callTool(new CallToolRequest("send_message", Map.of("text", "hi")));
                    assertTrue(refused.isError(), refused.toString());
                    assertEquals("Error: The observer password only reads: it cannot post or change anything", text(refused));
                }
                assertEquals(List.of("hello"), new RoomClient(RoomAddress.parse(watched.url()), PASSWORD).history().stream()
                    .map(dev.agentchat.client.model.Message::getText).toList());
            } finally {
                watchingStdio.closeGracefully();
                watchingRemote.closeGracefully();
            }
        }
    }

    private static String withoutExportTime(String transcript) {
        return transcript.replaceFirst("exported \\S+", "exported (time)");
    }

    private static String withoutTime(String text) {
        return text.replaceAll("until \\S+", "until T").replaceAll("last seen \\S+", "last seen T");
    }

    private static String text(McpSyncClient client, String tool, Map<String, Object> arguments) {
        CallToolResult result = client.callTool(new CallToolRequest(tool, arguments));
        assertFalse(result.isError(), result.toString());
        return text(result);
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    private static String withoutIdAndTime(String text) {
        return text.replaceAll("\\[[^]]+] #\\d+ ", "[time] #id ");
    }

    /** Launches {@code agent-chat} from the test classpath, with the state directory under {@code state}. */
    private static ServerParameters agentChat(String... args) {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            AgentChat.class.getName()));
        command.addAll(List.of(args));
        return ServerParameters.builder(command.get(0)).args(command.subList(1, command.size()))
            .addEnvVar("XDG_STATE_HOME", state.toString()).build();
    }
}
