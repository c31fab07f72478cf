package dev.agentchat.mcp;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.agentchat.mcp.McpRequests.bytes;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call the MCP client cancels ({@code notifications/cancelled}: the person pressed Escape, or the host
 * gave up waiting) ends without an answer, and a cancelled wait marks nothing read: what it would have
 * returned is there for the next read.
 */
class McpCancellationTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"host\",\"version\":\"1\"}}}";

    private LiveServer server;
    private RawHttp http;
    private String session;

    @BeforeEach
    void start() throws IOException {
        server = RawHttp.server(Map.of());
        http = new RawHttp(server.port());
        Response initialized = mcp(INITIALIZE);
        assertEquals(200, initialized.status(), initialized.body());
        session = initialized.header("Mcp-Session-Id");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aCancelledWaitMarksNothingReadAndItsMessagesComeWithTheNextRead(boolean mentionsOnly) throws IOException {
        assertTrue(call(2, "read_messages", "{}").body().contains("No new messages"));
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return call(3, "wait_for_messages", "{\"timeout_seconds\":40,\"mentions_only\":" + mentionsOnly + "}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        await().atMost(10, SECONDS).until(() -> http.get("/agents").body().contains("\"waiting\":true"));

        Response cancelled = mcp("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
            + "\"params\":{\"requestId\":3,\"reason\":\"the person pressed Escape\"}}");
        assertEquals(202, cancelled.status(), cancelled.body());
        Response unanswered = waiting.orTimeout(10, SECONDS).join();
        assertEquals(202, unanswered.status(), "a cancelled request is not answered: " + unanswered.body());

        assertEquals(200, http.postJson("{\"agent\":\"planner\",\"text\":\"@waiter after the cancel\"}").status());
        String read = call(4, "read_messages", mentionsOnly ? "{\"mentions_only\":true}" : "{}").body();
        assertTrue(read.contains("after the cancel"), read);
    }

    private Response call(int id, String tool, String arguments) throws IOException {
        return mcp("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
            + "\",\"arguments\":" + arguments + "}}");
    }

    private Response mcp(String body) throws IOException {
        return http.send("POST", "/mcp", McpRequests.headers(RawHttp.PASSWORD, "waiter", session), bytes(body), "127.0.0.1");
    }
}
