package dev.agentchat.client.testkit;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.Map;

/**
 * A real agent-chat server on a random loopback port, with a {@link FaultProxy} in front of it.
 * Clients talk to {@link #url()} directly, or to {@link #proxyUrl()} when a test needs to cut
 * connections or hide the stream.
 */
public final class LiveRoom implements AutoCloseable {

    public static final String PASSWORD = "correct horse";

    private final EmbeddedServer server;
    private final FaultProxy proxy;

    private LiveRoom(EmbeddedServer server, FaultProxy proxy) {
        this.server = server;
        this.proxy = proxy;
    }

    public static LiveRoom start() {
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
            "agent-chat.password", PASSWORD,
            "agent-chat.keepalive", "1s",
            "micronaut.server.port", -1,
            "micronaut.server.host", "127.0.0.1"));
        try {
            return new LiveRoom(server, FaultProxy.start(server.getURI()));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The server's base URL, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
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
            "AGENT_CHAT_PASSWORD", PASSWORD);
    }

    @Override
    public void close() {
        proxy.close();
        server.close();
    }
}
