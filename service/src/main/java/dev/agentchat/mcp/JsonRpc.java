package dev.agentchat.mcp;

import io.micronaut.core.annotation.Nullable;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON-RPC 2.0 messages as plain maps, ready to serialize. */
final class JsonRpc {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** A request of a batch that was not run (a server error of the range JSON-RPC leaves to servers). */
    static final int NOT_RUN = -32000;

    private JsonRpc() {
    }

    static Map<String, Object> result(Object id, Object result) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
        response.put("result", result);
        return response;
    }

    static Map<String, Object> error(@Nullable Object id, int code, String message) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
        response.put("error", Map.of("code", code, "message", message));
        return response;
    }

    /** Whether the value is a JSON-RPC 2.0 request, notification or response. */
    static boolean isMessage(@Nullable Object value) {
        if (!(value instanceof Map<?, ?> message) || !"2.0".equals(message.get("jsonrpc"))) {
            return false;
        }
        Object id = message.get("id");
        // MCP allows no null id: a message that has one is no request, and no notification either
        boolean validId = isId(id) || !message.containsKey("id");
        if (message.containsKey("method")) {
            return message.get("method") instanceof String && validId;
        }
        return validId && id != null && (message.containsKey("result") || message.containsKey("error"));
    }

    /**
     * Whether the value is an id MCP allows: a string or an integer. A number with a fraction or an exponent
     * ({@code 1.5}, {@code 1e3}, {@code 1e400}), or beyond a long, could not be given back as it was sent.
     */
    static boolean isId(@Nullable Object id) {
        return id instanceof String || id instanceof Integer || id instanceof Long
            || id instanceof BigInteger big && big.bitLength() < Long.SIZE;
    }

    /** Whether the value is a message whose {@code id} is there but no string or integer. */
    static boolean hasInvalidId(@Nullable Object value) {
        return value instanceof Map<?, ?> message && message.containsKey("id") && !isId(message.get("id"));
    }

    /** Whether the message asks for an answer (a request, not a notification or a response). */
    static boolean isRequest(Map<?, ?> message) {
        return message.containsKey("method") && message.get("id") != null;
    }
}
