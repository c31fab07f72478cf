package dev.agentchat.limits;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A room remembers at most {@code agents-per-room} names and refuses a new one only when all are online. */
class AgentsPerRoomTest {

    @Test
    void aNewAgentIsRefusedWhileEveryRememberedAgentIsOnlineAndAdmittedOnceOneLeaves() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.agents-per-room", 2))) {
            RawHttp http = new RawHttp(server.port());
            List<Socket> open = new ArrayList<>();
            try {
                open.add(connected(http, "/messages/stream?agent=alice"));
                open.add(connected(http, "/messages/stream?agent=bob"));

                Response stream = http.send("GET", "/messages/stream?agent=carol", auth(), null, "127.0.0.1");
                assertEquals(429, stream.status(), stream.body());
                assertTrue(stream.body().contains("\"code\":\"too_many_agents\""), stream.body());
                assertTrue(stream.body().contains("\"limit\":2"), stream.body());
                assertNotNull(stream.header("Retry-After"));
                Response post = http.postJson("{\"agent\":\"carol\",\"text\":\"hello\"}");
                assertEquals(429, post.status(), post.body());
                assertTrue(post.body().contains("\"code\":\"too_many_agents\""), post.body());

                // an agent already remembered is not refused
                assertEquals(200, http.postJson("{\"agent\":\"alice\",\"text\":\"still here\"}").status());

                // alice goes offline: she is forgotten to make room for carol
                open.remove(0).close();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> http.postJson("{\"agent\":\"carol\",\"text\":\"hello\"}").status() == 200);
                Response agents = http.get("/agents");
                assertEquals(200, agents.status(), agents.body());
                assertTrue(agents.body().contains("\"carol\"") && !agents.body().contains("\"alice\""), agents.body());
            } finally {
                for (Socket socket : open) {
                    socket.close();
                }
            }
        }
    }

    private static Map<String, String> auth() {
        return Map.of("X-Room-Password", RawHttp.PASSWORD);
    }

    /** Opens a stream and waits for its {@code : connected} comment, so its agent is surely online. */
    private static Socket connected(RawHttp http, String path) throws IOException {
        Socket socket = http.openStream(path, "127.0.0.1");
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(": connected")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("stream closed before it connected: " + seen);
            }
            seen.append((char) b);
        }
        assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen.toString());
        return socket;
    }
}
