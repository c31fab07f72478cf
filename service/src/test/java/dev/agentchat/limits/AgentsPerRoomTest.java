package dev.agentchat.limits;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    @Test
    void aNamesHolderIsAdmittedWhileEveryRememberedAgentIsOnline() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.agents-per-room", 2))) {
            RawHttp http = new RawHttp(server.port());
            List<Socket> open = new ArrayList<>();
            try {
                // carol holds her name; then the room fills with names anyone could have polled
                Response joined = http.send("POST", "/join", Map.of("X-Room-Password", RawHttp.PASSWORD,
                    "Content-Type", "application/json"), "{\"agent\":\"carol\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1");
                assertEquals(200, joined.status(), joined.body());
                Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(joined.body());
                assertTrue(token.find(), joined.body());
                Map<String, String> asCarol = Map.of("Authorization", "Bearer " + token.group(1),
                    "Content-Type", "application/json");
                open.add(connected(http, "/messages/stream?agent=alice"));
                open.add(connected(http, "/messages/stream?agent=bob"));
                assertEquals(429, http.postJson("{\"agent\":\"dave\",\"text\":\"hello\"}").status());

                Response post = http.send("POST", "/messages", asCarol,
                    "{\"text\":\"my name is mine\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1");
                assertEquals(200, post.status(), post.body());
                Response poll = http.send("GET", "/messages/poll?after=0", asCarol, null, "127.0.0.1");
                assertEquals(200, poll.status(), poll.body());
                Socket stream = http.open("127.0.0.1");
                open.add(stream);
                stream.getOutputStream().write(("GET /messages/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + asCarol.get("Authorization") + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                assertConnected(stream);
                Response agents = http.get("/agents");
                assertTrue(agents.body().contains("\"name\":\"carol\",\"online\":true,\"connections\":1"), agents.body());

                // the holder's admission beyond the cap does not open the room to other new names
                assertEquals(429, http.postJson("{\"agent\":\"dave\",\"text\":\"hello\"}").status());
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
        assertConnected(socket);
        return socket;
    }

    private static void assertConnected(Socket socket) throws IOException {
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
    }
}
