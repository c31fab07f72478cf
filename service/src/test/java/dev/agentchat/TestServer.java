package dev.agentchat;

import dev.agentchat.client.testkit.LiveServer;
import io.micronaut.context.ApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A {@link LiveServer} with the API tests' settings, and a plain HTTP client to talk to it. */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "s3cret-pw";

    private final LiveServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(LiveServer server) {
        this.server = server;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts a server with extra configuration properties. */
    public static TestServer start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        // the API tests post fast from one address and one agent; the limits have their own tests
        all.put("agent-chat.limits.send-burst-per-agent", 100_000);
        all.put("agent-chat.limits.send-burst-per-address", 100_000);
        all.putAll(properties);
        return new TestServer(LiveServer.start(PASSWORD, all));
    }

    public URI uri(String pathAndQuery) {
        return server.uri(pathAndQuery);
    }

    public int port() {
        return server.port();
    }

    /** The fixture underneath, e.g. to restart the server on the same port. */
    public LiveServer live() {
        return server;
    }

    public HttpClient http() {
        return http;
    }

    public ApplicationContext context() {
        return server.context();
    }

    /** A request with the room password header set. */
    public HttpRequest.Builder authed(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .header("X-Room-Password", PASSWORD);
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(authed(pathAndQuery).GET().build());
    }

    /** Posts a message as JSON with the password header. */
    public HttpResponse<String> post(String agent, String text) {
        String body = "{\"agent\":" + quote(agent) + ",\"text\":" + quote(text) + "}";
        return postJson(body);
    }

    public HttpResponse<String> postJson(String body) {
        return send(authed("/messages")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
