package dev.agentchat.client.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link LiveServer} on a random loopback port, with a {@link FaultProxy} in front of it.
 * Clients talk to {@link #url()} directly, or to {@link #proxyUrl()} when a test needs to cut
 * connections, hide or silence the stream, or restart the server behind the same address.
 */
public final class LiveRoom implements AutoCloseable {

    public static final String PASSWORD = "correct horse";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private volatile LiveServer server;
    private final FaultProxy proxy;
    private final Map<String, Object> settings;

    private LiveRoom(LiveServer server, FaultProxy proxy, Map<String, Object> settings) {
        this.server = server;
        this.proxy = proxy;
        this.settings = settings;
    }

    public static LiveRoom start() {
        return start(Map.of());
    }

    /** A room whose server has these settings too (e.g. {@code agent-chat.max-history}), restarted with them. */
    public static LiveRoom start(Map<String, Object> settings) {
        LiveServer server = startServer(settings);
        try {
            return new LiveRoom(server, FaultProxy.start(server.uri("")), Map.copyOf(settings));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static LiveServer startServer(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("agent-chat.keepalive", "1s");
        all.put("micronaut.server.host", "127.0.0.1");
        return LiveServer.start(PASSWORD, all);
    }

    /**
     * Replaces the server behind the proxy by a fresh one (an empty room whose ids start again at 1),
     * as a restart behind the same address would. {@code firstTexts} are posted to the new room before
     * the proxy switches to it, so a follower that resumes "after id N" there would skip them.
     */
    public void restartBehindProxy(String... firstTexts) {
        LiveServer old = server;
        LiveServer fresh = startServer(settings);
        server = fresh;
        for (String text : firstTexts) {
            post("restarted", text);
        }
        proxy.retarget(fresh.uri(""));
        old.close();
    }

    /** Posts a message straight to the server (not through the proxy); returns the answer's body. */
    public String post(String agent, String text) {
        String body = "{\"agent\":" + json(agent) + ",\"text\":" + json(text) + "}";
        return send(HttpRequest.newBuilder(URI.create(url() + "/messages"))
            .header("X-Room-Password", PASSWORD)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)), 200, "posting");
    }

    /** Posts a message to named room {@code name} straight to the server; returns the answer's body. */
    public String postTo(String name, String text) {
        return send(HttpRequest.newBuilder(URI.create(url() + "/rooms/" + name + "/messages"))
            .header("X-Room-Password", PASSWORD)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"alice\",\"text\":" + json(text) + "}")), 200, "posting");
    }

    /**
     * Creates a named room on the server (with the host key and this room's password) and returns its
     * base URL through the proxy: a server restarted behind the proxy knows no such room.
     */
    public String namedRoomThroughProxy(String name) {
        send(HttpRequest.newBuilder(URI.create(url() + "/rooms/" + name))
            .header("X-Room-Password", PASSWORD)
            .header("Authorization", "Bearer " + server.hostKey())
            .PUT(HttpRequest.BodyPublishers.noBody()), 201, "creating the room");
        return proxyUrl() + "/rooms/" + name;
    }

    /** The host ends named room {@code name} ({@code DELETE {base}/room}): it is gone at once, on every path to it. */
    public void endNamedRoom(String name) {
        send(HttpRequest.newBuilder(URI.create(url() + "/rooms/" + name + "/room"))
            .header("Authorization", "Bearer " + server.hostKey())
            .DELETE(), 204, "ending the room");
    }

    /** Sends straight to the server; returns the answer's body, which must have status {@code expected}. */
    private static String send(HttpRequest.Builder request, int expected, String what) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(what + " failed: " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    /** The server's base URL, without a trailing slash. */
    public String url() {
        return server.url();
    }

    /** The base URL of the proxy in front of the server, without a trailing slash. */
    public String proxyUrl() {
        return proxy.url();
    }

    public String password() {
        return PASSWORD;
    }

    public FaultProxy proxy() {
        return proxy;
    }

    /** What a script under test needs to find this room. */
    public Map<String, String> environment() {
        return Map.of(
            "AGENT_CHAT_URL", url(),
            "AGENT_CHAT_PROXY_URL", proxyUrl(),
            "AGENT_CHAT_PASSWORD", PASSWORD,
            "AGENT_CHAT_HOST_KEY", server.hostKey());
    }

    @Override
    public void close() {
        proxy.close();
        server.close();
    }
}
