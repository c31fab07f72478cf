package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.limits.ConnectionSlots;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StalledReaderTest {
    private static final int MESSAGES = 400;
    private static final Pattern ID = Pattern.compile("(?m)^id: (\\d+)$");

    @Test
    void stalledReaderIsCutOffWhileOthersReceiveEverything() throws Exception {
        try (LiveServer server = serverWithStreamBuffer(16)) {
            stalledReaderIsCutOffWhileAHealthyOneReceivesEverything(server, MESSAGES);
        }
    }

    @Test
    void aStalledReaderIsCutOffOnceWhatWaitsForItWeighsMoreThanItsRoomsHistoryMayHold() throws Exception {
        // room in the buffer for every message, not for their bytes: 800 messages of 8 KB weigh 25.6 MB as
        // text and JSON, and the room's history may hold 6 MiB (a reader that keeps up stays far within it)
        try (LiveServer server = server(Map.of("agent-chat.stream-buffer", 1024, "agent-chat.memory.history-per-room", "6MiB"))) {
            stalledReaderIsCutOffWhileAHealthyOneReceivesEverything(server, 2 * MESSAGES);
        }
    }

    private static void stalledReaderIsCutOffWhileAHealthyOneReceivesEverything(LiveServer server, int messages) throws Exception {
        RawHttp http = new RawHttp(server.port());
        ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);

        Socket stalled = streamThroughASmallWindow(server.port());

        AtomicInteger lastSeen = new AtomicInteger();
        Socket healthy = http.openStream("/messages/stream", "127.0.0.2");
        Thread reader = new Thread(() -> readIds(healthy, lastSeen));
        reader.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.openStreams() == 2);

        String text = "x".repeat(8_000);
        for (int i = 0; i < messages; i++) {
            assertEquals(200, http.postJson("{\"agent\":\"a\",\"text\":\"" + text + i + "\"}").status());
        }
        // the reader that keeps up gets every message; the stalled one is dropped by the server
        await().atMost(Duration.ofSeconds(20)).until(() -> lastSeen.get() == messages);
        await().atMost(Duration.ofSeconds(10)).until(() -> slots.openStreams() == 1);

        // draining the stalled socket now ends in end-of-stream, short of the last message
        stalled.setSoTimeout(10_000);
        String got = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher ids = ID.matcher(got);
        long last = 0;
        while (ids.find()) {
            last = Long.parseLong(ids.group(1));
        }
        assertTrue(last < messages, "the stalled reader was not cut off; it got up to " + last);
        stalled.close();
        healthy.close();
        reader.join(5_000);
        assertEquals(200, http.get("/messages?limit=1").status());
    }

    @Test
    void aReaderThatPausesGetsEverythingInOrderOnceItReadsAgain() throws Exception {
        try (LiveServer server = serverWithStreamBuffer(1024)) {
            RawHttp http = new RawHttp(server.port());
            ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);
            Socket paused = streamThroughASmallWindow(server.port());
            await().atMost(Duration.ofSeconds(5)).until(() -> slots.openStreams() == 1);

            // 3.2 MB while nothing is read: far more than the sockets hold, so the connection stops
            // taking frames and the rest waits in the room's buffer (which has room for all of it)
            String text = "x".repeat(8_000);
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(200, http.postJson("{\"agent\":\"a\",\"text\":\"" + text + i + "\"}").status());
            }
            AtomicInteger lastSeen = new AtomicInteger();
            Thread reader = new Thread(() -> readIds(paused, lastSeen));
            reader.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> lastSeen.get() == MESSAGES);
            assertEquals(1, slots.openStreams(), "the paused reader was cut off");
            paused.close();
            reader.join(5_000);
        }
    }

    /** A server whose streams may fall {@code messages} behind, taking all of the test's posts from one agent. */
    private static LiveServer serverWithStreamBuffer(int messages) {
        return server(Map.of("agent-chat.stream-buffer", messages));
    }

    /** A server with these settings, taking all of the test's posts from one agent. */
    private static LiveServer server(Map<String, Object> settings) {
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.put("agent-chat.limits.send-burst-per-address", 10_000);
        all.put("agent-chat.limits.send-burst-per-agent", 10_000);
        return RawHttp.server(all);
    }

    /** Asks for the stream on a socket whose receive buffer (so the window the server sees) is small. */
    private static Socket streamThroughASmallWindow(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.bind(null);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.getOutputStream().write(("GET /messages/stream HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: "
            + RawHttp.PASSWORD + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    /** Reads the stream, checking the ids arrive in order without gaps, and records the last one. */
    private static void readIds(Socket socket, AtomicInteger lastSeen) {
        try (socket) {
            socket.setSoTimeout(30_000);
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String l = line.toString().trim();
                line.setLength(0);
                if (l.startsWith("id: ")) {
                    int id = Integer.parseInt(l.substring(4));
                    if (id != lastSeen.get() + 1) {
                        return;
                    }
                    lastSeen.set(id);
                }
            }
        } catch (IOException closed) {
            // the test is over
        }
    }
}
