package dev.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The original Python server's protocol (PROTOCOL.md), for compatibility tests: messages without
 * ids, a poll that never waits and answers {@code next} = count, an SSE stream of bare {@code data:}
 * lines, and 404 for anything it does not know (such as /agents).
 */
final class OriginalServer implements AutoCloseable {
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<ObjectNode> messages = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();

    OriginalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "original-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void post(String agent, String text) {
        ObjectNode message = json.createObjectNode();
        message.put("agent", agent);
        message.put("text", text);
        message.put("timestamp", OffsetDateTime.now(ZoneOffset.UTC).toString().replace("Z", "+00:00"));
        messages.add(message);
    }

    /** How many polls were answered. */
    int polls() {
        return polls.get();
    }

    synchronized List<String> texts() {
        return messages.stream().map(m -> m.path("agent").asText() + ": " + m.path("text").asText()).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
            if (path.equals("/health")) {
                send(exchange, 200, "{\"status\":\"ok\"}");
                return;
            }
            if (!path.startsWith("/messages")) {
                send(exchange, 404, "{\"error\":\"Not found\"}");
                return;
            }
            if (!"pw".equals(exchange.getRequestHeaders().getFirst("X-Room-Password")) && !query.contains("password=pw")) {
                send(exchange, 401, "{\"error\":\"Invalid password\"}");
                return;
            }
            String method = exchange.getRequestMethod();
            if (path.equals("/messages") && method.equals("POST")) {
                JsonNode body = json.readTree(exchange.getRequestBody());
                post(body.path("agent").asText("anonymous"), body.path("text").asText());
                synchronized (this) {
                    send(exchange, 200, "{\"ok\":true,\"message\":" + messages.get(messages.size() - 1) + "}");
                }
            } else if (path.equals("/messages") && method.equals("GET")) {
                synchronized (this) {
                    send(exchange, 200, "{\"messages\":" + array(0) + "}");
                }
            } else if (path.equals("/messages/poll")) {
                polls.incrementAndGet();
                int after = 0;
                for (String pair : query.split("&")) {
                    if (pair.startsWith("after=")) {
                        after = Integer.parseInt(pair.substring(6));
                    }
                }
                synchronized (this) {
                    send(exchange, 200, "{\"messages\":" + array(after) + ",\"next\":" + messages.size() + "}");
                }
            } else {
                send(exchange, 404, "{\"error\":\"Not found\"}");
            }
        }
    }

    private ArrayNode array(int from) {
        ArrayNode array = json.createArrayNode();
        messages.subList(Math.min(from, messages.size()), messages.size()).forEach(array::add);
        return array;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
