package dev.agentchat.reliability;

import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void theIdleSweepClosesIdleConnectionsInsteadOfATimerPerConnection() {
        // the framework adds its idle handler for a timeout that is not negative: with it off, the
        // connection closed above was closed by the sweep
        assertTrue(server.context().getBean(NettyHttpServerConfiguration.class).getIdleTimeout().isNegative());
    }

    @Test
    void aConnectionThatKeepsAskingOutlivesTheIdleTimeout() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            // eight requests 300 ms apart on one connection: 2.4 s, over twice the idle timeout
            for (int i = 0; i < 8; i++) {
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("HTTP/1.1 200 OK", in.readLine());
                long length = 0;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                assertEquals(length, in.skip(length));
                await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
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
