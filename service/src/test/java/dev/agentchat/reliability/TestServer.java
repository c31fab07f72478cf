package dev.agentchat.reliability;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/** A real server on a random port with the room password {@link RawHttp#PASSWORD} and the given settings. */
public final class TestServer implements AutoCloseable {
    private final EmbeddedServer server;
    private final RawHttp http;

    private TestServer(EmbeddedServer server) {
        this.server = server;
        this.http = new RawHttp(server.getPort());
    }

    public static TestServer start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("agent-chat.password", RawHttp.PASSWORD);
        all.put("micronaut.server.port", -1);
        return new TestServer(ApplicationContext.run(EmbeddedServer.class, all));
    }

    public RawHttp http() {
        return http;
    }

    public int port() {
        return server.getPort();
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
