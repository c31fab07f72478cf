package dev.agentchat.messages;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.reliability.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long-poll that has to wait is answered from below the framework (its head kept, its request let
 * go): what its client sees must be what any other answer gives, on any kind of connection.
 */
class ParkedPollsTest {
    private static final String PASSWORD_HEADER = "X-Room-Password: " + RawHttp.PASSWORD + "\r\n";
    private static LiveServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        server = RawHttp.server(Map.of("agent-chat.limits.exempt-loopback", true));
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A parsed answer off a kept-alive connection; header names lower-cased. */
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private static long post(String text) throws IOException {
        RawHttp.Response posted = http.postJson("{\"agent\":\"poster\",\"text\":\"" + text + "\"}");
        assertEquals(200, posted.status(), posted.body());
        String body = posted.body();
        int at = body.indexOf("\"id\":") + 5;
        return Long.parseLong(body.substring(at, body.indexOf(',', at)));
    }

    private static long newest() throws IOException {
        return post("before");
    }

    private static String pollRequest(long after, int waitSeconds, String version, String extraHeaders) {
        return "GET /messages/poll?after=" + after + "&wait=" + waitSeconds + " " + version + "\r\nHost: localhost\r\n"
            + PASSWORD_HEADER + extraHeaders + "\r\n";
    }

    private static Socket connect() throws IOException {
        Socket socket = http.open("127.0.0.1");
        socket.setSoTimeout(15_000);
        return socket;
    }

    private static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads one answer with a Content-Length body off the connection. */
    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed mid-answer: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Posts once the server counts a poll waiting on the room (so the poll has found nothing and waits). */
    private static long postOnceWaiting(String text) throws IOException {
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingPolls() > 0);
        return post(text);
    }

    private static int waitingPolls() {
        return server.context().getBean(ConnectionSlots.class).waitingPolls();
    }

    @Test
    void aPollThatWaitedIsAnsweredWithTheHeadersOfOneAnsweredAtOnce() throws IOException {
        long before = newest();
        Answer atOnce;
        Answer waited;
        try (Socket socket = connect()) {
            send(socket, pollRequest(before - 1, 10, "HTTP/1.1", ""));
            atOnce = read(socket.getInputStream());
            send(socket, pollRequest(before, 10, "HTTP/1.1", ""));
            long id = postOnceWaiting("woken");
            waited = read(socket.getInputStream());
            assertTrue(waited.body().contains("\"id\":" + id) && waited.body().contains("woken"), waited.body());
        }
        assertEquals(200, waited.status());
        Set<String> varying = Set.of("date", "content-length");
        Map<String, String> expected = new LinkedHashMap<>(atOnce.headers());
        Map<String, String> actual = new LinkedHashMap<>(waited.headers());
        expected.keySet().removeAll(varying);
        actual.keySet().removeAll(varying);
        assertEquals(expected, actual, "the filters' headers, the content type, nothing of the server's own");
        assertTrue(waited.headers().containsKey("date"));
        assertEquals(waited.body().getBytes(StandardCharsets.UTF_8).length,
            Integer.parseInt(waited.headers().get("content-length")));
    }

    @Test
    void aPollWhoseTimeRanOutIsDatedWhenItIsAnswered() throws IOException {
        long before = newest();
        Instant asked = Instant.now();
        try (Socket socket = connect()) {
            send(socket, pollRequest(before, 2, "HTTP/1.1", ""));
            Answer answer = read(socket.getInputStream());
            assertEquals(200, answer.status());
            assertEquals("{\"messages\":[],\"next\":" + before + "}", answer.body());
            Instant dated = ZonedDateTime.parse(answer.headers().get("date"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertTrue(!dated.isBefore(asked.plusSeconds(1)), "dated " + dated + ", asked at " + asked);
        }
    }

    @Test
    void answersToRequestsPipelinedBehindAWaitingPollComeAfterItsAnswer() throws IOException {
        long before = newest();
        try (Socket socket = connect()) {
            send(socket, pollRequest(before, 10, "HTTP/1.1", "")
                + "GET /messages?limit=1 HTTP/1.1\r\nHost: localhost\r\n" + PASSWORD_HEADER + "\r\n"
                + "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            postOnceWaiting("first in line");
            InputStream in = socket.getInputStream();
            Answer poll = read(in);
            assertTrue(poll.body().contains("first in line"), poll.body());
            Answer list = read(in);
            assertEquals(200, list.status(), list.body());
            assertTrue(list.body().startsWith("{\"messages\":[{\"id\":"), list.body());
            Answer health = read(in);
            assertEquals(200, health.status(), health.body());
            assertTrue(health.body().contains("\"status\""), health.body());
        }
    }

    @Test
    void aWaitingPollOnAKeptAliveConnectionLeavesItOpenForTheNextPoll() throws IOException {
        long cursor = newest();
        try (Socket socket = connect()) {
            for (int round = 0; round < 3; round++) {
                send(socket, pollRequest(cursor, 10, "HTTP/1.1", ""));
                cursor = postOnceWaiting("round " + round);
                Answer answer = read(socket.getInputStream());
                assertTrue(answer.body().contains("round " + round), answer.body());
                assertNull(answer.headers().get("connection"));
            }
        }
    }

    @Test
    void aWaitingPollAskedToCloseIsAnsweredAndThenTheConnectionCloses() throws Exception {
        for (String version : new String[] {"HTTP/1.1", "HTTP/1.0"}) {
            long before = newest();
            try (Socket socket = connect()) {
                String close = version.equals("HTTP/1.1") ? "Connection: close\r\n" : "";
                send(socket, pollRequest(before, 10, version, close));
                CompletableFuture<byte[]> everything = CompletableFuture.supplyAsync(() -> {
                    try {
                        return socket.getInputStream().readAllBytes();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                postOnceWaiting("last words " + version);
                String all = new String(everything.get(15, TimeUnit.SECONDS), StandardCharsets.UTF_8);
                assertTrue(all.startsWith(version + " 200 OK\r\n"), all);
                // the answer ends where the connection does (read to its end); HTTP/1.1 says so in a header
                assertTrue(version.equals("HTTP/1.0") || all.toLowerCase(Locale.ROOT).contains("connection: close"), all);
                assertTrue(all.contains("last words " + version) && all.endsWith("\"next\":" + (before + 1) + "}"), all);
            }
        }
    }

    @Test
    void aHeadPollIsAnsweredWithoutABody() throws IOException {
        long before = newest();
        RawHttp.Response answer = http.send("HEAD", "/messages/poll?after=" + (before - 1) + "&wait=5",
            Map.of("X-Room-Password", RawHttp.PASSWORD), null, "127.0.0.1");
        assertEquals(200, answer.status());
        assertFalse(answer.headers().containsKey("x-agent-chat-parked"));
        assertEquals("", answer.body());
    }
}
