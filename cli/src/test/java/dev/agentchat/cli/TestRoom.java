package dev.agentchat.cli;

import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

/** A real agent-chat server in this JVM, on a random port, that can be stopped and started again on the same port. */
final class TestRoom implements AutoCloseable {
    static final String PASSWORD = "pw";

    private final Map<String, Object> extra;
    private EmbeddedServer server;
    private int port;

    private TestRoom(Map<String, Object> extra) {
        this.extra = extra;
    }

    static TestRoom start() {
        return start(Map.of());
    }

    static TestRoom start(Map<String, Object> extra) {
        TestRoom room = new TestRoom(extra);
        room.run(-1);
        return room;
    }

    private void run(int onPort) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("agent-chat.password", PASSWORD);
        properties.put("micronaut.server.port", onPort);
        server = ApplicationContext.run(EmbeddedServer.class, properties);
        port = server.getPort();
    }

    /** Stops the server: its messages are gone, like a real restart. */
    void stop() {
        server.getApplicationContext().close();
    }

    /** A fresh server (empty room) on the same port, retried while the old socket is being released. */
    void restart() {
        int samePort = port;
        await().atMost(15, SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            run(samePort);
            return true;
        });
    }

    String url() {
        return "http://localhost:" + port;
    }

    int port() {
        return port;
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
        if (server != null && server.getApplicationContext().isRunning()) {
            stop();
        }
    }
}
