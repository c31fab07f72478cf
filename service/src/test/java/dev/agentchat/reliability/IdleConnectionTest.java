package dev.agentchat.reliability;

import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A connection idle both ways is closed after the idle timeout; a stream's keepalives keep it open. */
class IdleConnectionTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("micronaut.server.idle-timeout", "1s", "agent-chat.keepalive", "200ms"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aConnectionThatSendsAndReceivesNothingIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            // blocks until the server closes the connection (or fails after 10 s)
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aStreamOutlivesTheIdleTimeoutOnItsKeepalives() {
        try (SseClient client = SseClient.open(server.http(), server.uri("/messages/stream"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            // fifteen keepalives, 200 ms apart: three times the idle timeout
            await().atMost(Duration.ofSeconds(10))
                .until(() -> client.comments().stream().filter("keepalive"::equals).count() >= 15);
            server.post("poster", "still streaming");
            await().atMost(Duration.ofSeconds(5))
                .until(() -> client.messages().stream().anyMatch(e -> e.data().contains("still streaming")));
        }
    }
}
