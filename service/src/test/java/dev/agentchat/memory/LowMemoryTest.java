package dev.agentchat.memory;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
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

/**
 * The low-heap state over HTTP. The server runs in this JVM, so the test fills the heap itself: its
 * {@code low-heap} threshold is set a little above what this JVM holds after a collection, and a
 * ballast the test allocates and later lets go pushes the heap above it and back.
 */
class LowMemoryTest {
    private static final long MIB = 1L << 20;
    private static final long HEADROOM = 256 * MIB;

    /** Held while the test wants the heap full; cleared to let it recover. */
    private static List<byte[]> ballast;

    @Test
    void aFullHeapRefusesNewWorkWithLowMemoryWhileHealthAndOpenStreamsCarryOn() throws IOException {
        long threshold = heapUsedAfterCollection() + HEADROOM;
        try (LiveServer server = RawHttp.server(Map.of(
            "agent-chat.memory.low-heap", Long.toString(threshold),
            "agent-chat.keepalive", "200ms"))) {
            RawHttp http = new RawHttp(server.port());
            HeapGuard guard = server.context().getBean(HeapGuard.class);
            assertTrue(!guard.low(), "low before the heap was filled: threshold " + ByteSize.describe(threshold));
            Socket stream = http.openStream("/messages/stream?agent=watcher", "127.0.0.1");
            stream.setSoTimeout(0); // keepalives every 200 ms; the reader runs until the test closes it
            StreamReader watched = new StreamReader(stream.getInputStream());
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> watched.seen().contains(": connected"));

                fill(threshold);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> collectAnd(guard::low));

                RawHttp.Response post = http.postJson("{\"agent\":\"poster\",\"text\":\"refused\"}");
                assertEquals(503, post.status(), post.body());
                assertTrue(post.body().contains("\"code\":\"low_memory\""), post.body());
                assertNotNull(post.header("Retry-After"));
                RawHttp.Response newStream = http.get("/messages/stream");
                assertEquals(503, newStream.status(), newStream.body());
                assertTrue(newStream.body().contains("\"code\":\"low_memory\""), newStream.body());
                assertEquals(200, http.send("GET", "/health", Map.of(), null, "127.0.0.1").status());

                // the stream opened before goes on: it keeps receiving keepalives
                int keepalives = watched.count(": keepalive");
                await().atMost(Duration.ofSeconds(10)).until(() -> watched.count(": keepalive") >= keepalives + 3);

                ballast = null;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> collectAnd(() -> !guard.low()));
                assertEquals(200, http.postJson("{\"agent\":\"poster\",\"text\":\"@watcher memory is back\"}").status());
                await().atMost(Duration.ofSeconds(10)).until(() -> watched.seen().contains("@watcher memory is back"));
            } finally {
                ballast = null;
                stream.close();
            }
        }
    }

    /** Allocates enough to push the heap in use after a collection above {@code threshold}. */
    private static void fill(long threshold) {
        long needed = threshold - heapUsedAfterCollection() + 64 * MIB;
        List<byte[]> held = new ArrayList<>();
        for (long bytes = 0; bytes < needed; bytes += MIB) {
            held.add(new byte[(int) MIB]);
        }
        ballast = held;
    }

    private static boolean collectAnd(java.util.function.BooleanSupplier condition) {
        System.gc();
        return condition.getAsBoolean();
    }

    private static long heapUsedAfterCollection() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Reads a stream in the background, keeping what it saw. */
    private static final class StreamReader {
        private final StringBuffer seen = new StringBuffer();

        StreamReader(InputStream in) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
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

        int count(String text) {
            String all = seen();
            int count = 0;
            for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + 1)) {
                count++;
            }
            return count;
        }
    }
}
