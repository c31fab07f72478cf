package dev.agentchat.mcp;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What a raw MCP request to a room's {@code /mcp} carries: the headers an MCP host sends, and its JSON body as bytes. */
final class McpRequests {
    private McpRequests() {
    }

    /**
     * @param agent   the {@code X-Agent-Name}, or null for none
     * @param session the {@code Mcp-Session-Id}, or null before {@code initialize}
     */
    static Map<String, String> headers(String password, String agent, String session) {
        Map<String, String> headers = new HashMap<>(Map.of("X-Room-Password", password,
            "Content-Type", "application/json", "Accept", "application/json, text/event-stream"));
        if (agent != null) {
            headers.put("X-Agent-Name", agent);
        }
        if (session != null) {
            headers.put("Mcp-Session-Id", session);
        }
        return headers;
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
