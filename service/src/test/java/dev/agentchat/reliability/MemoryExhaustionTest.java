package dev.agentchat.reliability;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An attacker's attempt on a real server process with a 256 MiB heap and the default budgets: every
 * room it will accept, each filled with maximum-size messages from many agent names, several times
 * over what the history budget holds.
 */
class MemoryExhaustionTest {
    private static final String MAX_TEXT = "x".repeat(65536);
    private static final int POSTS_PER_ROOM = 12;

    @Test
    void aServerFilledWithMaximumMessagesKeepsServingRefusesWhatDoesNotFitAndStopsOnSigterm() throws Exception {
        ServerProcess started = ServerProcess.start(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), "agent-chat.rooms.hash-iterations=1000");
        Process server = started.process();
        int port = started.port();
        ExecutorService posters = Executors.newFixedThreadPool(4);
        try {
            RawHttp http = new RawHttp(port);
            started.awaitHealthy(Duration.ofSeconds(30));

            List<String> rooms = new ArrayList<>();
            RawHttp.Response refused = null;
            for (int i = 0; i < 200 && refused == null; i++) {
                RawHttp.Response created = http.send("PUT", "/rooms/r" + i, RawHttp.asHost(Map.of("X-Room-Password", RawHttp.PASSWORD)),
                    null, clientAddress(i));
                if (created.status() == 201) {
                    rooms.add("/rooms/r" + i);
                } else {
                    refused = created;
                }
            }
            assertNotNull(refused, "every room was accepted");
            assertEquals(503, refused.status(), refused.body());
            assertTrue(refused.body().contains("\"code\":\"memory_full\""), refused.body());
            assertNotNull(refused.header("Retry-After"));
            assertTrue(rooms.size() >= 30, "only " + rooms.size() + " rooms fit in a 256 MiB heap");

            Socket watcher = http.openStream(rooms.get(0) + "/messages/stream?for=watcher", "127.0.0.1");
            watcher.setSoTimeout(0); // it hears nothing while the others fill the rooms
            StreamReader watched = new StreamReader(watcher.getInputStream());
            await().atMost(Duration.ofSeconds(5)).until(() -> watched.seen().contains(": connected"));

            rooms.add(""); // the server's own room
            AtomicInteger accepted = new AtomicInteger();
            List<Future<?>> posts = new ArrayList<>();
            for (int round = 0; round < POSTS_PER_ROOM; round++) {
                for (String room : rooms) {
                    int n = round;
                    posts.add(posters.submit(() -> {
                        RawHttp.Response posted = http.send("POST", room + "/messages",
                            Map.of("X-Room-Password", RawHttp.PASSWORD, "Content-Type", "application/json"),
                            ("{\"agent\":\"agent-" + n + "-" + room.hashCode() + "\",\"text\":\"" + MAX_TEXT + "\"}")
                                .getBytes(StandardCharsets.UTF_8), "127.0.0.1");
                        assertEquals(200, posted.status(), posted.body());
                        accepted.incrementAndGet();
                        return null;
                    }));
                }
            }
            for (Future<?> post : posts) {
                post.get(60, TimeUnit.SECONDS);
            }
            assertEquals(POSTS_PER_ROOM * rooms.size(), accepted.get());

            assertEquals(200, http.send("GET", "/health", Map.of(), null, "127.0.0.1").status());
            assertEquals(200, http.send("POST", rooms.get(0) + "/messages",
                Map.of("X-Room-Password", RawHttp.PASSWORD, "Content-Type", "application/json"),
                "{\"agent\":\"late\",\"text\":\"@watcher still delivered\"}".getBytes(StandardCharsets.UTF_8),
                "127.0.0.1").status());
            await().atMost(Duration.ofSeconds(10)).until(() -> watched.seen().contains("@watcher still delivered"));

            // the budget pushed the oldest out of a room the total could not hold in full
            RawHttp.Response oldest = http.send("GET", rooms.get(1) + "/messages?after=0&limit=1",
                Map.of("X-Room-Password", RawHttp.PASSWORD), null, "127.0.0.1");
            assertEquals(200, oldest.status(), oldest.body());
            assertTrue(!oldest.body().contains("\"id\":1,"), "the first message is still kept");
            // a stream resuming from the start hears first that the oldest messages are gone
            try (Socket resumed = http.openStream(rooms.get(1) + "/messages/stream?after=0", "127.0.0.1")) {
                resumed.setSoTimeout(60_000); // the opening comes at once, but the box may be busy
                List<String> event = firstEvent(resumed.getInputStream());
                assertEquals("event: truncated", event.get(0), String.join("\n", event));
                assertTrue(event.get(1).startsWith("data: {\"requested\":0,\"oldest\":"), event.get(1));
            }
            long start = System.nanoTime();
            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(5, TimeUnit.SECONDS), "the server did not exit within 5 s");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertEquals(0, server.exitValue(), "exit status");
            watcher.close();
        } finally {
            posters.shutdownNow();
            server.destroyForcibly();
        }
    }

    /** The first event of a stream: its {@code event:} line and the lines after it up to the blank line. */
    private static List<String> firstEvent(InputStream stream) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        List<String> event = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("event:") || !event.isEmpty()) {
                if (line.isEmpty()) {
                    return event;
                }
                event.add(line);
            }
        }
        throw new IOException("the stream ended before its first event: " + event);
    }

    /** 20 rooms per address may be created: a new local address every 20. */
    private static String clientAddress(int room) {
        return "127.0.0." + (2 + room / 20);
    }

    /** Reads a stream in the background, keeping what it saw. */
    private static final class StreamReader {
        private final StringBuffer seen = new StringBuffer();

        StreamReader(InputStream in) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[65536];
                try {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException closed) {
                    // the test closed it
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String seen() {
            return seen.toString();
        }
    }
}
