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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionSlotsTest {
    private static final Map<String, Object> CAPS = Map.of(
        "agent-chat.limits.streams-per-address", 2, "agent-chat.limits.streams-total", 3,
        "agent-chat.limits.polls-per-address", 2, "agent-chat.limits.polls-total", 3);

    @Test
    void connectionsAboveTheCapOfAnAddressAreAnsweredAndClosedUntilOneOfItsOwnCloses() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.connections-per-address", 2))) {
            RawHttp http = new RawHttp(server.port());
            // streams, so that the server has surely taken each connection's slot before the next one opens
            Socket first = connected(http, "/messages/stream", "127.0.0.1");
            try (Socket second = connected(http, "/messages/stream", "127.0.0.1"); Socket third = http.open("127.0.0.1")) {
                third.setSoTimeout(10_000);
                Response refused = RawHttp.read(third.getInputStream());
                assertEquals(429, refused.status(), refused.body());
                assertTrue(refused.body().contains("\"code\":\"too_many_connections\"") && refused.body().contains("\"limit\":2"),
                    refused.body());
                assertEquals("5", refused.header("Retry-After"));
                assertEquals(200, http.send("GET", "/health", Map.of(), null, "127.0.0.2").status(), "another address is not held");

                first.close();
                await().atMost(Duration.ofSeconds(5)).until(() -> http.send("GET", "/health", Map.of(), null, "127.0.0.1").status() == 200);
            } finally {
                first.close();
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheReadTimeout() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.request-read-timeout", "1s"));
             Socket silent = new RawHttp(server.port()).open("127.0.0.1")) {
            silent.setSoTimeout(10_000);
            assertEquals(-1, silent.getInputStream().read(), "closed without a word");
        }
    }

    @Test
    void streamsAboveTheCapOfAnAddressOrOfTheServerAreRefused() throws IOException {
        try (LiveServer server = RawHttp.server(CAPS)) {
            RawHttp http = new RawHttp(server.port());
            List<Socket> open = new ArrayList<>();
            try {
                open.add(connected(http, "/messages/stream", "127.0.0.1"));
                open.add(connected(http, "/messages/stream", "127.0.0.1"));
                Response perAddress = http.send("GET", "/messages/stream", auth(), null, "127.0.0.1");
                assertEquals(429, perAddress.status());
                assertTrue(perAddress.body().contains("\"code\":\"too_many_streams\""), perAddress.body());
                assertTrue(perAddress.body().contains("\"limit\":2"), perAddress.body());
                assertNotNull(perAddress.header("Retry-After"));

                open.add(connected(http, "/messages/stream", "127.0.0.2"));
                Response total = http.send("GET", "/messages/stream", auth(), null, "127.0.0.3");
                assertEquals(503, total.status());
                assertTrue(total.body().contains("\"code\":\"server_full\""), total.body());

                // a closed stream gives its slot back
                open.remove(0).close();
                ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.openStreams() == 2);
                open.add(connected(http, "/messages/stream", "127.0.0.3"));
            } finally {
                for (Socket socket : open) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void waitingPollsAboveTheCapAreRefusedButPollsThatDoNotWaitAreNot() throws IOException {
        try (LiveServer server = RawHttp.server(CAPS)) {
            RawHttp http = new RawHttp(server.port());
            ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);
            List<Socket> open = new ArrayList<>();
            try {
                open.add(request(http, "/messages/poll?wait=30", "127.0.0.1"));
                open.add(request(http, "/messages/poll?wait=30", "127.0.0.1"));
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 2);
                Response perAddress = http.send("GET", "/messages/poll?wait=30", auth(), null, "127.0.0.1");
                assertEquals(429, perAddress.status());
                assertTrue(perAddress.body().contains("\"code\":\"too_many_polls\""), perAddress.body());
                assertEquals(200, http.send("GET", "/messages/poll?after=0", auth(), null, "127.0.0.1").status());

                open.add(request(http, "/messages/poll?wait=30", "127.0.0.2"));
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 3);
                Response total = http.send("GET", "/messages/poll?wait=30", auth(), null, "127.0.0.3");
                assertEquals(503, total.status());
                assertTrue(total.body().contains("\"code\":\"server_full\""), total.body());

                // a post answers the waiting polls and frees their slots
                assertEquals(200, http.postJson("{\"text\":\"wake up\"}", "127.0.0.4").status());
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 0);
            } finally {
                for (Socket socket : open) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aWaitingPollWhoseClientLeavesGivesBackItsSlotAndPresenceAtOnce() throws IOException {
        try (LiveServer server = RawHttp.server(CAPS)) {
            RawHttp http = new RawHttp(server.port());
            ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);
            try (Socket first = request(http, "/messages/poll?wait=60&agent=leaver", "127.0.0.1");
                 Socket second = request(http, "/messages/poll?wait=60", "127.0.0.1")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 2);
                assertTrue(http.get("/agents").body().contains("\"connections\":1"));

                // long before its 60 s are up, the poll ends with its connection
                first.close();
                await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 1);
                assertTrue(http.get("/agents").body().contains("\"connections\":0"));
                try (Socket third = request(http, "/messages/poll?wait=60", "127.0.0.1")) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> slots.waitingPolls() == 2);
                }
            }
        }
    }

    @Test
    void newRequestsAreRefusedOnceShutdownBegins() throws IOException {
        try (LiveServer server = RawHttp.server(CAPS)) {
            RawHttp http = new RawHttp(server.port());
            server.context().getBean(ConnectionSlots.class).refuseNew();
            Response stream = http.get("/messages/stream");
            assertEquals(503, stream.status());
            assertTrue(stream.body().contains("\"code\":\"shutting_down\""), stream.body());
            assertEquals(503, http.get("/messages/poll?wait=5").status());
            Response plain = http.get("/messages/poll");
            assertEquals(503, plain.status(), "every new request, not only streams and polls");
            assertTrue(plain.body().contains("\"code\":\"shutting_down\""), plain.body());
        }
    }

    private static Map<String, String> auth() {
        return Map.of("X-Room-Password", RawHttp.PASSWORD);
    }

    private static Socket request(RawHttp http, String path, String from) throws IOException {
        Socket socket = http.open(from);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: "
            + RawHttp.PASSWORD + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    /** Opens a stream and waits for its {@code : connected} comment, so the slot is surely taken. */
    private static Socket connected(RawHttp http, String path, String from) throws IOException {
        Socket socket = http.openStream(path, from);
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
