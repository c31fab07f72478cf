package dev.agentchat.mcp;

import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.limits.ConnectionSlots;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.agentchat.mcp.McpRequests.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the room's MCP endpoint answers to wrong passwords, malformed JSON-RPC, big bodies and too many sessions. */
class RemoteMcpBadInputTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

    @Test
    void wrongPasswordIsRefusedWithTheCataloguesJsonError() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            Response response = new RawHttp(server.port()).send("POST", "/mcp",
                Map.of("X-Room-Password", "wrong", "X-Agent-Name", "eve", "Content-Type", "application/json"),
                bytes(INITIALIZE), "127.0.0.1");

            assertEquals(401, response.status());
            assertTrue(response.body().contains("\"code\":\"invalid_password\""), response.body());
        }
    }

    @Test
    void malformedJsonRpcGetsJsonRpcErrors() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            Response notJson = mcp(server, "{not json", null);
            assertEquals(400, notJson.status());
            assertTrue(notJson.body().contains("\"code\":-32700"), notJson.body());

            Response notJsonRpc = mcp(server, "{\"hello\":1}", null);
            assertEquals(400, notJsonRpc.status());
            assertTrue(notJsonRpc.body().contains("\"code\":-32600"), notJsonRpc.body());

            Response nullId = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", null);
            assertEquals(400, nullId.status(), nullId.body());
            assertTrue(nullId.body().contains("\"code\":-32600"), nullId.body());

            Response emptyBatch = mcp(server, "[]", null);
            assertEquals(400, emptyBatch.status());
            assertTrue(emptyBatch.body().contains("\"code\":-32600"), emptyBatch.body());

            String session = initialize(server, "127.0.0.1");
            Response unknownMethod = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/list\"}", session);
            assertEquals(200, unknownMethod.status());
            assertTrue(unknownMethod.body().contains("\"id\":7") && unknownMethod.body().contains("\"code\":-32601"),
                unknownMethod.body());

            Response unknownTool = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"rm_rf\",\"arguments\":{}}}", session);
            assertTrue(unknownTool.body().contains("\"code\":-32602"), unknownTool.body());

            Response noTool = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{}}", session);
            assertTrue(noTool.body().contains("\"code\":-32602") && noTool.body().contains("needs the tool's name"), noTool.body());

            Response bareInitialize = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"initialize\"}", null);
            assertEquals(200, bareInitialize.status(), bareInitialize.body());
            assertTrue(bareInitialize.body().contains("\"protocolVersion\":\"" + McpProtocol.VERSIONS.get(0) + "\""),
                "an initialize that names no version is offered the newest: " + bareInitialize.body());

            Response badArguments = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"send_message\",\"arguments\":{\"text\":42}}}", session);
            assertEquals(200, badArguments.status());
            assertTrue(badArguments.body().contains("\"isError\":true")
                && badArguments.body().contains("'text' must be a string, not a number"), badArguments.body());

            // text the REST API refuses is refused here too, in every string argument, nothing stored
            for (String arguments : new String[] {"{\"name\":\"send_message\",\"arguments\":{\"text\":\"\\ud800\"}}",
                "{\"name\":\"send_message\",\"arguments\":{\"text\":\"hi\",\"to\":[\"\\udc00bob\"]}}",
                "{\"name\":\"claim_resource\",\"arguments\":{\"resource\":\"lone/\\udc00\"}}",
                "{\"name\":\"claim_resource\",\"arguments\":{\"resource\":\"docs/**\",\"note\":\"\\ud800\"}}"}) {
                Response lone = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\",\"params\":" + arguments + "}", session);
                assertTrue(lone.body().contains("\"isError\":true") && lone.body().contains("without lone surrogates"), lone.body());
            }
            String stored = new RawHttp(server.port()).get("/messages").body();
            assertFalse(stored.contains("\"id\":"), "nothing stored: " + stored);
        }
    }

    @Test
    void batchesAreAnsweredInOneArrayAndNotificationsWithAccepted() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            String session = initialize(server, "127.0.0.1");

            Response batch = mcp(server, "[" + PING + ",{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}]", session);
            assertEquals(200, batch.status());
            assertTrue(batch.body().startsWith("[{") && batch.body().contains("\"send_message\""), batch.body());

            Response notification = mcp(server, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session);
            assertEquals(202, notification.status());
        }
    }

    @Test
    void aBatchLongerThanItsLimitIsRefusedWithOneErrorThatSaysTheLimit() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            String session = initialize(server, "127.0.0.1");
            String search = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"search_messages\",\"arguments\":{\"query\":\"x\"}}}";

            Response tooLong = mcp(server, batch(search, 21), session);
            assertEquals(400, tooLong.status(), tooLong.body());
            assertTrue(tooLong.body().startsWith("{") && tooLong.body().contains("\"code\":-32600")
                && tooLong.body().contains("at most 20") && tooLong.body().contains("\"id\":null"), tooLong.body());

            Response longest = mcp(server, batch(search, 20), session);
            assertEquals(200, longest.status(), longest.body());
            assertTrue(longest.body().startsWith("[") && longest.body().contains("\"id\":20,"), longest.body());
        }
    }

    @Test
    void anIdThatIsNeitherAStringNorAnIntegerIsRefused() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            String session = initialize(server, "127.0.0.1");
            for (String id : new String[] {"1e400", "1.5", "2.0", "1e3", "9223372036854775808", "true", "{}", "[1]"}) {
                Response refused = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}", session);
                assertEquals(400, refused.status(), id + ": " + refused.body());
                assertTrue(refused.body().contains("\"code\":-32600") && refused.body().contains("\"id\":null")
                    && refused.body().contains("a string or an integer"), id + ": " + refused.body());
            }
            for (String id : new String[] {"9223372036854775807", "-3", "0", "\"a-1\""}) {
                Response answered = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}", session);
                assertEquals(200, answered.status(), id + ": " + answered.body());
                assertTrue(answered.body().contains("\"id\":" + id + ","), id + ": " + answered.body());
            }
        }
    }

    private static String batch(String message, int length) {
        StringBuilder batch = new StringBuilder("[");
        for (int id = 1; id <= length; id++) {
            batch.append(id > 1 ? "," : "").append(String.format(message, id));
        }
        return batch.append(']').toString();
    }

    @Test
    void aProtocolVersionTheServerDoesNotSpeakIsRefusedWith400AndAKnownOneOrNoneIsServed() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            String session = initialize(server, "127.0.0.1");
            Map<String, String> headers = headers(session);
            headers.put("MCP-Protocol-Version", "1999-01-01");

            Response unknown = new RawHttp(server.port()).send("POST", "/mcp", headers, bytes(PING), "127.0.0.1");
            assertEquals(400, unknown.status(), unknown.body());
            assertTrue(unknown.body().contains("\"code\":-32600") && unknown.body().contains("1999-01-01")
                && unknown.body().contains("2025-06-18"), unknown.body());
            assertTrue(unknown.body().contains("\"id\":2"), "the request's id is echoed: " + unknown.body());

            headers.put("MCP-Protocol-Version", "2025-06-18");
            assertEquals(200, new RawHttp(server.port()).send("POST", "/mcp", headers, bytes(PING), "127.0.0.1").status());
            assertEquals(200, mcp(server, PING, session).status(), "no header: the version the session agreed on");
        }
    }

    @Test
    void aPostAcceptingOnlyAStreamIsToldTheAcceptHeaderMustIncludeJson() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            Map<String, String> headers = headers(null);
            headers.put("Accept", "text/event-stream");

            Response refused = new RawHttp(server.port()).send("POST", "/mcp", headers, bytes(INITIALIZE), "127.0.0.1");

            assertEquals(406, refused.status(), refused.body());
            assertTrue(refused.body().contains("\"code\":\"not_acceptable\"")
                && refused.body().contains("the Accept header must include application/json"), refused.body());
        }
    }

    @Test
    void requestsWithoutAKnownSessionAreRefused() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            Response withoutSession = mcp(server, PING, null);
            assertEquals(400, withoutSession.status());
            assertTrue(withoutSession.body().contains("\"code\":\"mcp_session_required\""), withoutSession.body());

            Response unknown = mcp(server, PING, "made-up");
            assertEquals(404, unknown.status());
            assertTrue(unknown.body().contains("\"code\":\"mcp_session_not_found\""), unknown.body());

            Response withoutAgent = new RawHttp(server.port()).send("POST", "/mcp",
                Map.of("X-Room-Password", RawHttp.PASSWORD, "Content-Type", "application/json"), bytes(INITIALIZE),
                "127.0.0.1");
            assertEquals(400, withoutAgent.status());
            assertTrue(withoutAgent.body().contains("\"code\":\"agent_name_required\""), withoutAgent.body());
        }
    }

    @Test
    void deletedSessionIsGoneAndGetOffersNoStream() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            String session = initialize(server, "127.0.0.1");

            Response deleted = new RawHttp(server.port()).send("DELETE", "/mcp", headers(session), null, "127.0.0.1");
            assertEquals(204, deleted.status());
            assertEquals(404, mcp(server, PING, session).status());

            Response stream = new RawHttp(server.port()).send("GET", "/mcp", headers(null), null, "127.0.0.1");
            assertEquals(405, stream.status());
            assertTrue(stream.body().contains("\"code\":\"method_not_allowed\""), stream.body());
        }
    }

    @Test
    void getIsMethodNotAllowedWhateverTheClientAccepts() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(201, http.send("PUT", "/rooms/ops", RawHttp.asHost(Map.of("X-Room-Password", "ops-pw")), null, "127.0.0.1").status());
            for (String accept : new String[] {"text/event-stream", "application/json", "*/*", null}) {
                for (String path : new String[] {"/mcp", "/rooms/ops/mcp"}) {
                    Map<String, String> headers = new HashMap<>(Map.of("X-Room-Password",
                        path.equals("/mcp") ? RawHttp.PASSWORD : "ops-pw"));
                    if (accept != null) {
                        headers.put("Accept", accept);
                    }

                    Response stream = http.send("GET", path, headers, null, "127.0.0.1");

                    String asked = path + " with Accept " + accept;
                    assertEquals(405, stream.status(), asked + ": " + stream.body());
                    assertEquals("POST, DELETE", stream.header("Allow"), asked);
                    assertTrue(stream.header("Content-Type").startsWith("application/json"), asked);
                    assertTrue(stream.body().contains("\"code\":\"method_not_allowed\""), asked + ": " + stream.body());
                }
            }
        }
    }

    @Test
    void agentNameSentAsUtf8BytesIsReadAsUtf8() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            Map<String, String> headers = headers(null);
            // RawHttp writes each char of a header as one byte: these are the bytes 63 61 66 C3 A9
            headers.put("X-Agent-Name", new String("café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            Response opened = new RawHttp(server.port()).send("POST", "/mcp", headers, bytes(INITIALIZE), "127.0.0.1");
            assertEquals(200, opened.status(), opened.body());
            assertTrue(opened.body().contains("You are 'café' in"), opened.body());

            Response sent = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"send_message\",\"arguments\":{\"text\":\"bonjour\"}}}", opened.header("Mcp-Session-Id"));

            assertTrue(sent.body().contains(" café: bonjour"), sent.body());
            String messages = new RawHttp(server.port()).get("/messages").body();
            assertTrue(messages.contains("\"agent\":\"café\""), messages);
        }
    }

    @Test
    void agentNameWhoseBytesAreNotUtf8IsReadAsLatin1() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            Map<String, String> headers = headers(null);
            headers.put("X-Agent-Name", "caf\u00e9"); // the bytes 63 61 66 E9: not UTF-8
            Response opened = new RawHttp(server.port()).send("POST", "/mcp", headers, bytes(INITIALIZE), "127.0.0.1");

            assertEquals(200, opened.status(), opened.body());
            assertTrue(opened.body().contains("You are 'café' in"), opened.body());
        }
    }

    @Test
    void oversizedBodyIsRefusedWith413() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("micronaut.server.max-request-size", 4096))) {
            String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(8000) + "\"}}";

            Response response = mcp(server, big, null);

            assertEquals(413, response.status());
            assertTrue(response.body().contains("\"code\":\"body_too_large\""), response.body());
        }
    }

    @Test
    void aNewSessionAboveItsAddressesCapTakesThePlaceOfTheQuietestAndOnlyBusySessionsAreRefused() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of(
            "agent-chat.limits.mcp-sessions-per-address", 2, "agent-chat.limits.mcp-sessions-total", 3))) {
            String first = initialize(server, "127.0.0.1");
            String second = initialize(server, "127.0.0.1");
            assertEquals(200, mcp(server, PING, first).status()); // second is now the quietest

            String third = initialize(server, "127.0.0.1");
            assertEquals(404, mcp(server, PING, second).status(), "the quietest session gave its place");
            assertEquals(200, mcp(server, PING, first).status());

            // while every session of the address is in a call, a new one is refused
            try (Socket waitingFirst = startWait(server, first); Socket waitingThird = startWait(server, third)) {
                ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 2);
                Response perAddress = initializing(server, "127.0.0.1");
                assertEquals(429, perAddress.status());
                assertTrue(perAddress.body().contains("\"code\":\"too_many_mcp_sessions\""), perAddress.body());
            }

            initialize(server, "127.0.0.2");
            Response total = initializing(server, "127.0.0.3");
            assertEquals(503, total.status());
            assertTrue(total.body().contains("\"code\":\"server_full\""), total.body());
        }
    }

    /** A {@code wait_for_messages} of 40 s under way on {@code session}, until the socket is closed. */
    private static Socket startWait(LiveServer server, String session) throws IOException {
        String wait = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"wait_for_messages\",\"arguments\":{\"timeout_seconds\":40}}}";
        StringBuilder request = new StringBuilder("POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Length: ")
            .append(bytes(wait).length).append("\r\n");
        headers(session).forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        Socket socket = new RawHttp(server.port()).open("127.0.0.1");
        socket.getOutputStream().write(bytes(request.append("\r\n").append(wait).toString()));
        return socket;
    }

    @Test
    void aWaitWhoseClientLeavesGivesBackItsPollSlotAtOnce() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            String session = initialize(server, "127.0.0.1");
            ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);
            try (Socket socket = startWait(server, session)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 1);
            }
            // long before its 40 s are up
            await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 0);
        }
    }

    @Test
    void idleSessionsExpireAndFreeTheirPlace() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of(
            "agent-chat.limits.mcp-session-idle", "300ms", "agent-chat.limits.mcp-sessions-total", 1))) {
            String session = initialize(server, "127.0.0.1");
            McpSessions sessions = server.context().getBean(McpSessions.class);

            await().atMost(Duration.ofSeconds(5)).until(() -> {
                sessions.expireIdle(); // what the scheduled sweep does every minute
                return sessions.open() == 0;
            });
            assertEquals(404, mcp(server, PING, session).status());
            assertEquals(200, initializing(server, "127.0.0.1").status());
        }
    }

    @Test
    void namedRoomsEndpointNeedsThatRoomsPasswordAndItsSessionsStayInIt() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(201, http.send("PUT", "/rooms/ops", RawHttp.asHost(Map.of("X-Room-Password", "ops-pw")), null, "127.0.0.1").status());
            Response wrong = http.send("POST", "/rooms/ops/mcp", Map.of("X-Room-Password", RawHttp.PASSWORD,
                "X-Agent-Name", "eve", "Content-Type", "application/json"), bytes(INITIALIZE), "127.0.0.1");
            assertEquals(401, wrong.status());

            Response opened = http.send("POST", "/rooms/ops/mcp", Map.of("X-Room-Password", "ops-pw",
                "X-Agent-Name", "ops-bot", "Content-Type", "application/json"), bytes(INITIALIZE), "127.0.0.1");
            assertEquals(200, opened.status(), opened.body());
            String session = opened.header("Mcp-Session-Id");
            assertNotNull(session);

            // the session belongs to the named room, not to the server's room
            assertEquals(404, mcp(server, PING, session).status());
        }
    }

    @Test
    void anObserversSessionIsRefusedEveryToolThatChangesTheRoom() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.observer-password", "watch"))) {
            RawHttp http = new RawHttp(server.port());
            Map<String, String> headers = headers(null);
            headers.put("X-Room-Password", "watch");
            Response opened = http.send("POST", "/mcp", headers, bytes(INITIALIZE), "127.0.0.1");
            assertEquals(200, opened.status(), opened.body());
            headers.put("Mcp-Session-Id", opened.header("Mcp-Session-Id"));
            Map<String, String> writes = Map.of("send_message", "{\"text\":\"hi\"}", "ack_message", "{\"id\":1}",
                "claim_resource", "{\"resource\":\"src/a\"}", "release_claim", "{\"claim\":\"src/a\"}");

            for (Map.Entry<String, String> write : writes.entrySet()) {
                Response refused = http.send("POST", "/mcp", headers, bytes("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":"
                    + "\"tools/call\",\"params\":{\"name\":\"" + write.getKey() + "\",\"arguments\":" + write.getValue()
                    + "}}"), "127.0.0.1");

                assertTrue(refused.body().contains("\"isError\":true"), write.getKey() + ": " + refused.body());
                assertTrue(refused.body().contains("The observer password only reads: it cannot post or change anything"),
                    write.getKey() + ": " + refused.body());
            }
        }
    }

    @Test
    void aHeldNameIsSharedOnlyWithTheSameClientReconnectingFromItsAddressAndNotAfterAKick() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of())) {
            assertEquals(200, initializeAs(server, "keeper", "host-a", "127.0.0.5").status());
            assertEquals(200, initializeAs(server, "Keeper", "host-a", "127.0.0.5").status(), "a reconnect shares the claim");

            Response otherProgram = initializeAs(server, "keeper", "curl", "127.0.0.5");
            assertEquals(403, otherProgram.status(), otherProgram.body());
            assertTrue(otherProgram.body().contains("\"code\":\"name_claimed\""), otherProgram.body());
            Response otherMachine = initializeAs(server, "keeper", "host-a", "127.0.0.6");
            assertEquals(403, otherMachine.status(), otherMachine.body());
            assertTrue(otherMachine.body().contains("\"code\":\"name_claimed\""), otherMachine.body());

            Response kick = new RawHttp(server.port()).send("POST", "/agents/keeper/kick",
                Map.of("Authorization", "Bearer " + server.hostKey()), new byte[0], "127.0.0.1");
            assertEquals(200, kick.status(), kick.body());
            Response afterKick = initializeAs(server, "keeper", "host-a", "127.0.0.5");
            assertEquals(403, afterKick.status(), afterKick.body());
            assertTrue(afterKick.body().contains("\"code\":\"kicked\""), afterKick.body());
        }
    }

    private static Response initializeAs(LiveServer server, String agent, String client, String from) throws IOException {
        Map<String, String> headers = headers(null);
        headers.put("X-Agent-Name", agent);
        return new RawHttp(server.port()).send("POST", "/mcp", headers,
            bytes(INITIALIZE.replace("\"name\":\"raw\"", "\"name\":\"" + client + "\"")), from);
    }

    private static String initialize(LiveServer server, String from) throws IOException {
        Response response = initializing(server, from);
        assertEquals(200, response.status(), response.body());
        assertTrue(response.body().contains("\"protocolVersion\":\"2025-06-18\""), response.body());
        String session = response.header("Mcp-Session-Id");
        assertNotNull(session);
        return session;
    }

    /** An initialize from {@code from}; each address speaks as its own agent (a name is held by one client). */
    private static Response initializing(LiveServer server, String from) throws IOException {
        Map<String, String> headers = headers(null);
        headers.put("X-Agent-Name", "raw-" + from);
        return new RawHttp(server.port()).send("POST", "/mcp", headers, bytes(INITIALIZE), from);
    }

    private static Response mcp(LiveServer server, String body, String session) throws IOException {
        return new RawHttp(server.port()).send("POST", "/mcp", headers(session), bytes(body), "127.0.0.1");
    }

    private static Map<String, String> headers(String session) {
        return McpRequests.headers(RawHttp.PASSWORD, "raw", session);
    }
}
