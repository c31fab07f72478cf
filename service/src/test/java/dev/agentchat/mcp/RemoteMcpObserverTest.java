package dev.agentchat.mcp;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.error.ApiError;
import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static dev.agentchat.mcp.McpRequests.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session opened with the observer password on the room's /mcp reads the room as the REST API lets
 * an observer read it: under no one's name, moving nobody's read cursor and showing nobody online.
 */
class RemoteMcpObserverTest {
    private static final String OBSERVER_PASSWORD = "watch";
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    @Test
    void anObserverCannotOpenASessionUnderANameSomeoneHolds() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.observer-password", OBSERVER_PASSWORD))) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(200, join(http, "alice").status());

            Response refused = initialize(http, "alice");

            assertEquals(403, refused.status(), refused.body());
            assertTrue(refused.body().contains("\"code\":\"name_claimed\""), refused.body());
        }
    }

    @Test
    void anObserversReadsAndWaitsMoveNoCursorAndShowNobodyOnline() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.observer-password", OBSERVER_PASSWORD))) {
            RawHttp http = new RawHttp(server.port());
            Response opened = initialize(http, "watcher");
            assertEquals(200, opened.status(), opened.body());
            String session = opened.header("Mcp-Session-Id");
            assertEquals(200, http.postJson("{\"agent\":\"bob\",\"text\":\"hi @watcher\"}").status());

            Response read = call(http, session, "read_messages", "{}");
            assertTrue(read.body().contains("hi @watcher"), read.body());
            assertTrue(call(http, session, "read_messages", "{}").body().contains("No new messages."),
                "the session remembers what its observer has read");
            assertEquals(200, http.postJson("{\"agent\":\"bob\",\"text\":\"second\"}").status());
            Response waited = call(http, session, "wait_for_messages", "{\"timeout_seconds\":5}");
            assertTrue(waited.body().contains("second"), waited.body());

            assertEquals("{\"after\":0}", http.get("/agents/watcher/cursor").body());
            Response agents = http.get("/agents");
            assertFalse(agents.body().contains("watcher"), "an observer is no participant: " + agents.body());
            Response listed = call(http, session, "list_agents", "{}");
            assertFalse(listed.body().contains("watcher"), listed.body());
        }
    }

    @Test
    void anObserverOpensASessionWithoutANameAndReadsAsNobody() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.observer-password", OBSERVER_PASSWORD))) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(200, http.postJson("{\"agent\":\"bob\",\"text\":\"first\"}").status());

            Response opened = initialize(http, null);

            assertEquals(200, opened.status(), opened.body());
            assertTrue(opened.body().contains("only read"), opened.body());
            assertFalse(opened.body().contains(" as '"), "it reads under no name: " + opened.body());
            String session = opened.header("Mcp-Session-Id");
            assertTrue(call(http, session, null, "read_messages", "{}").body().contains("bob: first"));
            assertEquals(200, http.postJson("{\"agent\":\"bob\",\"text\":\"second\"}").status());
            Response waited = call(http, session, null, "wait_for_messages", "{\"timeout_seconds\":5}");
            assertTrue(waited.body().contains("bob: second"), waited.body());
            Response mentions = http.send("POST", "/mcp", headers(null, session), bytes(toolCall("read_messages",
                "{\"mentions_only\":true}")), "127.0.0.2");
            assertTrue(mentions.body().contains("\"isError\":true"), mentions.body());
            assertTrue(mentions.body().contains(ToolText.MENTIONS_NEED_A_NAME), mentions.body());
            Response agents = http.get("/agents");
            assertEquals(200, agents.status(), agents.body());
            assertEquals(1, agents.body().split("\"name\":").length - 1, "only bob, nobody for the observer: " + agents.body());
        }
    }

    @Test
    void anObserverIsOfferedOnlyTheToolsThatReadAndOneThatWritesCalledAnywayIsRefused() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.observer-password", OBSERVER_PASSWORD))) {
            RawHttp http = new RawHttp(server.port());
            String session = initialize(http, "watcher").header("Mcp-Session-Id");

            Response listed = http.send("POST", "/mcp", headers("watcher", session),
                bytes("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"), "127.0.0.2");

            assertEquals(200, listed.status(), listed.body());
            for (String tool : ToolCatalog.NAMES) {
                assertEquals(!ToolCatalog.WRITES.contains(tool), listed.body().contains("\"name\":\"" + tool + "\""),
                    tool + " in " + listed.body());
            }
            Response sent = http.send("POST", "/mcp", headers("watcher", session),
                bytes(toolCall("send_message", "{\"text\":\"hi\"}")), "127.0.0.2");
            assertTrue(sent.body().contains("\"isError\":true"), sent.body());
            assertTrue(sent.body().contains("Error: " + ApiError.READ_ONLY.message()), sent.body());
        }
    }

    @Test
    void aParticipantsSessionUsedWithTheObserverPasswordOnlyReads() throws IOException {
        // the session's rights were those it was opened with, whatever password came with a later request
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.observer-password", OBSERVER_PASSWORD))) {
            RawHttp http = new RawHttp(server.port());
            Response opened = http.send("POST", "/mcp", McpRequests.headers(RawHttp.PASSWORD, "writer", null),
                bytes(INITIALIZE), "127.0.0.2");
            String session = opened.header("Mcp-Session-Id");
            assertEquals(200, opened.status(), opened.body());

            Response sent = http.send("POST", "/mcp", headers("writer", session),
                bytes(toolCall("send_message", "{\"text\":\"as the observer\"}")), "127.0.0.2");

            assertEquals(403, sent.status(), sent.body());
            assertTrue(sent.body().contains("\"code\":\"read_only\""), sent.body());
            assertFalse(http.get("/messages").body().contains("as the observer"), "nothing was posted");
            Response withItsOwn = http.send("POST", "/mcp", McpRequests.headers(RawHttp.PASSWORD, "writer", session),
                bytes(toolCall("send_message", "{\"text\":\"as the participant\"}")), "127.0.0.2");
            assertFalse(withItsOwn.body().contains("\"isError\":true"), withItsOwn.body());
        }
    }

    @Test
    void anObserversInstructionsSayItOnlyReads() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.observer-password", OBSERVER_PASSWORD))) {
            Response opened = initialize(new RawHttp(server.port()), "watcher");

            assertEquals(200, opened.status(), opened.body());
            assertTrue(opened.body().contains("only read"), opened.body());
            assertFalse(opened.body().contains("acknowledge with ack_message"), opened.body());
            assertFalse(opened.body().contains("claim_resource them"), opened.body());
        }
    }

    private static Response join(RawHttp http, String agent) throws IOException {
        return http.send("POST", "/join", Map.of("X-Room-Password", RawHttp.PASSWORD, "Content-Type", "application/json"),
            bytes("{\"agent\":\"" + agent + "\"}"), "127.0.0.1");
    }

    private static Response initialize(RawHttp http, String agent) throws IOException {
        return http.send("POST", "/mcp", headers(agent, null), bytes(INITIALIZE), "127.0.0.2");
    }

    private static Response call(RawHttp http, String session, String tool, String arguments) throws IOException {
        return call(http, session, "watcher", tool, arguments);
    }

    /** @param agent the X-Agent-Name the session's calls carry, or null for none */
    private static Response call(RawHttp http, String session, String agent, String tool, String arguments)
        throws IOException {
        Response response = http.send("POST", "/mcp", headers(agent, session), bytes(toolCall(tool, arguments)), "127.0.0.2");
        assertEquals(200, response.status(), response.body());
        assertFalse(response.body().contains("\"isError\":true"), response.body());
        return response;
    }

    private static String toolCall(String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
            + "\",\"arguments\":" + arguments + "}}";
    }

    private static Map<String, String> headers(String agent, String session) {
        return McpRequests.headers(OBSERVER_PASSWORD, agent, session);
    }
}
