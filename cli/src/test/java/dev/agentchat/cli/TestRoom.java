package dev.agentchat.cli;

import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.client.testkit.LiveServer;

import java.util.Map;

/**
 * A {@link LiveServer} with the CLI tests' password, and the generated client to talk to it. It can be
 * stopped and started again on the same port like any LiveServer.
 */
final class TestRoom implements AutoCloseable {
    static final String PASSWORD = "pw";

    private final LiveServer server;

    private TestRoom(LiveServer server) {
        this.server = server;
    }

    static TestRoom start() {
        return start(Map.of());
    }

    static TestRoom start(Map<String, Object> extra) {
        return new TestRoom(LiveServer.start(PASSWORD, extra));
    }

    /** Stops the server: its messages are gone, like a real restart. */
    void stop() {
        server.stop();
    }

    /** A fresh server (empty room) on the same port, retried while the old socket is being released. */
    void restart() {
        server.restart();
    }

    String url() {
        return server.url();
    }

    int port() {
        return server.port();
    }

    String hostKey() {
        return server.hostKey();
    }

    RoomClient client() {
        return new RoomClient(RoomAddress.parse(url()), PASSWORD);
    }

    /** Posts a message through the generated client; returns its id. */
    long post(String agent, String text) {
        return client().send(agent, text, null, null).getId();
    }

    @Override
    public void close() {
        server.close();
    }
}
