package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that ask for a long answer and do not read it: the server holds a piece of the answer for each,
 * not the answer, reads no further requests from a connection whose answer waits, and goes on serving
 * everyone else. What it holds is measured as the direct memory the JVM has reserved (the server runs in
 * this JVM), once each client has the first byte of its answer: by then the server has read what the
 * client sent and written what it will write before the client reads.
 */
class UnreadAnswersTest {
    /** 40 messages of 50,000 characters: one answer listing them all is about 2 MB. */
    private static final int MESSAGES = 40;
    private static final String TEXT = "x".repeat(50_000);
    private static final String LIST = "GET /messages HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: " + RawHttp.PASSWORD
        + "\r\n\r\n";
    private static LiveServer server;
    private static RawHttp http;
    private static String everything;

    @BeforeAll
    static void fillARoom() throws IOException {
        // the kernel's own buffer for what the server sends stays small, so that what is held is the server's
        server = RawHttp.server(Map.of("micronaut.server.netty.child-options.SO_SNDBUF", 65536,
            "agent-chat.memory.history-per-room", "64MiB",
            "agent-chat.limits.send-burst-per-address", 100_000, "agent-chat.limits.send-burst-per-agent", 100_000));
        http = new RawHttp(server.port());
        for (int i = 0; i < MESSAGES; i++) {
            assertEquals(200, http.postJson("{\"agent\":\"filler\",\"text\":\"" + TEXT + i + "\"}").status());
        }
        RawHttp.Response list = http.get("/messages");
        assertEquals(200, list.status());
        everything = list.body();
        assertTrue(everything.length() > MESSAGES * TEXT.length(), "every message is listed: " + everything.length());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestsPipelinedBehindAnAnswerItsClientDoesNotReadWaitUntilItReads() throws IOException {
        int lists = 40;
        long lastId = lastId();
        String post = "{\"agent\":\"pipeliner\",\"text\":\"after the first list\"}";
        StringBuilder requests = new StringBuilder(LIST);
        requests.append("POST /messages HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: ").append(RawHttp.PASSWORD)
            .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(post.length()).append("\r\n\r\n")
            .append(post);
        for (int i = 1; i < lists; i++) {
            requests.append(LIST);
        }
        long before = directMemory();
        try (Socket greedy = throughASmallWindow()) {
            greedy.getOutputStream().write(requests.toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(greedy.getInputStream());
            assertEquals('H', in.read(), "its first answer has begun");

            long held = directMemory() - before;
            assertTrue(held < lists * (long) everything.length() / 8,
                "held for " + lists + " answers of " + everything.length() + " bytes: " + held);
            assertEquals(lastId, lastId(), "the post behind the unread answer is not carried out yet");
            assertEquals(200, http.send("GET", "/health", Map.of(), null, "127.0.0.2").status(), "others are served");

            // once it reads, each answer comes whole and in order
            assertEquals(everything, answer(in, "H"), "the first list");
            assertTrue(answer(in, "").contains("after the first list"), "then the post");
            String withThePost = answer(in, "");
            assertTrue(withThePost.startsWith(everything.substring(0, everything.length() - 2))
                && withThePost.contains("\"text\":\"after the first list\""), "then the lists after it");
            for (int i = 2; i < lists; i++) {
                assertEquals(withThePost, answer(in, ""), "list " + (i + 1));
            }
            assertEquals(lastId + 1, lastId());
        }
    }

    @Test
    void clientsThatDoNotReadALongAnswerHoldAPieceOfItEach() throws IOException {
        int clients = 30;
        long before = directMemory();
        List<Socket> greedy = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Socket socket = throughASmallWindow();
                greedy.add(socket);
                socket.getOutputStream().write(LIST.getBytes(StandardCharsets.ISO_8859_1));
                assertEquals('H', socket.getInputStream().read(), "its answer has begun");
            }

            long held = directMemory() - before;
            assertTrue(held < clients * (long) everything.length() / 8,
                "held for " + clients + " answers of " + everything.length() + " bytes: " + held);
            assertEquals(200, http.send("GET", "/health", Map.of(), null, "127.0.0.2").status(), "others are served");
            String list = http.get("/messages").body();
            assertTrue(list.startsWith(everything.substring(0, everything.length() - 2)),
                "and a client that reads gets the whole list: " + list.length() + " bytes");
        } finally {
            for (Socket socket : greedy) {
                socket.close();
            }
        }
    }

    /** A connection whose receive buffer is as small as the system allows, so that it holds little of an answer. */
    private static Socket throughASmallWindow() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** The direct memory the JVM has reserved: the server's buffers, written and waiting to be. */
    private static long directMemory() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static long lastId() throws IOException {
        String body = http.get("/messages?limit=1").body();
        int id = body.indexOf("\"id\":");
        return Long.parseLong(body.substring(id + 5, body.indexOf(',', id)));
    }

    /** The body of the next answer on a connection, whose first bytes {@code begun} have been read already. */
    private static String answer(InputStream in, String begun) throws IOException {
        StringBuilder head = new StringBuilder(begun);
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended in an answer's head: " + head);
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase(Locale.ROOT);
        assertTrue(lower.startsWith("http/1.1 200 "), head.toString());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) {
            for (int length = chunkSize(in); length > 0; length = chunkSize(in)) {
                body.write(in.readNBytes(length));
                in.readNBytes(2);
            }
            in.readNBytes(2);
        } else {
            int at = lower.indexOf("\r\ncontent-length:") + 17;
            body.write(in.readNBytes(Integer.parseInt(lower.substring(at, lower.indexOf("\r\n", at)).trim())));
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static int chunkSize(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection ended in a chunk's size");
            }
            line.append((char) b);
        }
        return Integer.parseInt(line.toString().trim(), 16);
    }
}
