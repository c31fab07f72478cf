package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyTest {
    private static final int POSTERS = 50;
    private static final int PER_POSTER = 10;
    private static final int SUBSCRIBERS = 200;
    private static final int TOTAL = POSTERS * PER_POSTER;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @Test
    void concurrentPostsGetContiguousIdsAndReachEverySubscriberOnceInOrder() throws Exception {
        Map<String, Object> roomy = new HashMap<>();
        roomy.put("agent-chat.limits.streams-per-address", 1000);
        roomy.put("agent-chat.limits.connections-per-address", 1000);
        roomy.put("agent-chat.limits.send-burst-per-address", 10_000);
        roomy.put("agent-chat.limits.send-burst-per-agent", 10_000);
        try (LiveServer server = RawHttp.server(roomy)) {
            RawHttp http = new RawHttp(server.port());
            ExecutorService pool = Executors.newFixedThreadPool(SUBSCRIBERS + POSTERS);
            try {
                CountDownLatch connected = new CountDownLatch(SUBSCRIBERS);
                List<Future<List<Long>>> subscribers = new ArrayList<>();
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    subscribers.add(pool.submit(() -> subscribe(http, connected)));
                }
                assertTrue(connected.await(30, TimeUnit.SECONDS), "not every subscriber connected");

                Set<Long> postedIds = ConcurrentHashMap.newKeySet();
                AtomicInteger failures = new AtomicInteger();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> posters = new ArrayList<>();
                for (int p = 0; p < POSTERS; p++) {
                    String agent = "poster" + p;
                    posters.add(pool.submit(() -> {
                        start.await();
                        for (int m = 0; m < PER_POSTER; m++) {
                            RawHttp.Response r = http.postJson("{\"agent\":\"" + agent + "\",\"text\":\"m" + m + "\"}");
                            Matcher id = ID.matcher(r.body());
                            if (r.status() != 200 || !id.find() || !postedIds.add(Long.parseLong(id.group(1)))) {
                                failures.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> poster : posters) {
                    poster.get(60, TimeUnit.SECONDS);
                }
                assertEquals(0, failures.get(), "failed or duplicate posts");
                assertEquals(TOTAL, postedIds.size());
                for (long id = 1; id <= TOTAL; id++) {
                    assertTrue(postedIds.contains(id), "ids are not contiguous: missing " + id);
                }

                List<Long> expected = new ArrayList<>();
                for (long id = 1; id <= TOTAL; id++) {
                    expected.add(id);
                }
                for (Future<List<Long>> subscriber : subscribers) {
                    assertEquals(expected, subscriber.get(60, TimeUnit.SECONDS));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/health").status() == 200);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Follows the stream until the last message arrives and returns every id seen, in order. */
    private static List<Long> subscribe(RawHttp http, CountDownLatch connected) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (Socket socket = http.openStream("/messages/stream", "127.0.0.1")) {
            socket.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(": connected")) {
                    connected.countDown();
                } else if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4)));
                    if (ids.size() == TOTAL) {
                        break;
                    }
                }
            }
        }
        return ids;
    }
}
