package dev.agentchat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A long steady load: posts at a fixed rate to subscribers that stay connected throughout, for a
 * set time. The server's heap after a full collection is read at the start, when the history budgets
 * are first full (the room has begun dropping its oldest messages) and at the end: once full, what
 * the server holds should stay flat, so growth from then on is what a leak would look like.
 */
final class Soak {
    /** Growth of the heap after the budgets were full that still counts as flat. */
    static final double FLAT = 0.10;
    /** Below this, growth is noise whatever its share (a few buffers, a compiled method). */
    static final long FLAT_BYTES = 8L << 20;
    private static final Duration QUIET = Duration.ofSeconds(10);

    record Sample(double seconds, long posted, long delivered, long oldestId, long rssBytes) {
        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("seconds", seconds);
            map.put("posted", posted);
            map.put("delivered", delivered);
            map.put("oldest_kept_id", oldestId);
            map.put("rss_bytes", rssBytes < 0 ? null : rssBytes);
            return map;
        }
    }

    record Result(double plannedSeconds, double seconds, int subscribers, int connected, double postsPerSecond,
                  int messageBytes, long posted, long postErrors, long expected, long delivered, int dropped,
                  Long heapStartBytes, Long heapFullBytes, Long heapEndBytes, Double fullAfterSeconds,
                  List<Sample> samples, String problems, CpuMeter.Usage cpu) {
        /** Whether the history budgets filled during the run (the room dropped its oldest). */
        boolean filled() {
            return heapFullBytes != null;
        }

        /** Heap growth after a full collection from the moment the budgets were full to the end. */
        Long growthBytes() {
            return heapFullBytes == null || heapEndBytes == null ? null : heapEndBytes - heapFullBytes;
        }

        /** Whether the heap grew beyond {@link #FLAT} (and {@link #FLAT_BYTES}) once the budgets were full. */
        Boolean grew() {
            Long growth = growthBytes();
            return growth == null ? null : growth > Math.max(FLAT_BYTES, heapFullBytes * FLAT);
        }

        double deliveryRatio() {
            return expected == 0 ? Double.NaN : (double) delivered / expected;
        }

        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("planned_seconds", plannedSeconds);
            map.put("seconds", seconds);
            map.put("subscribers", subscribers);
            map.put("connected", connected);
            map.put("posts_per_second_planned", postsPerSecond);
            map.put("message_bytes", messageBytes);
            map.put("posted", posted);
            map.put("post_errors", postErrors);
            map.put("expected_deliveries", expected);
            map.put("delivered", delivered);
            map.put("delivery_ratio", deliveryRatio());
            map.put("streams_dropped_by_server", dropped);
            map.put("heap_after_gc_start_bytes", heapStartBytes);
            map.put("heap_after_gc_when_full_bytes", heapFullBytes);
            map.put("heap_after_gc_end_bytes", heapEndBytes);
            map.put("budgets_full_after_seconds", fullAfterSeconds);
            map.put("heap_growth_after_full_bytes", growthBytes());
            map.put("heap_grew_after_full", grew());
            map.put("samples", samples.stream().map(Sample::json).toList());
            map.put("problems", problems.isEmpty() ? null : problems);
            map.put("cpu", cpu.json());
            return map;
        }
    }

    private Soak() {
    }

    /**
     * @param server the started server, whose heap is read (null against {@code --url}: no heap figures)
     */
    static Result run(Http http, Control control, LocalProcess server, Duration length, int subscribers,
                      double postsPerSecond, int messageBytes) {
        HeapProbe heap = server == null ? null : new HeapProbe(server.pid());
        StringBuilder problems = new StringBuilder();
        Long heapStart = reading(heap, problems);
        String padding = "x".repeat(Math.max(0, messageBytes - 24));
        Duration sampleEvery = Duration.ofMillis(Math.max(200, Math.min(60_000, length.toMillis() / 10)));
        List<Sample> samples = new ArrayList<>();
        long posted = 0;
        long errors = 0;
        Long heapFull = null;
        Double fullAfter = null;
        try (SubscriberSet set = SubscriberSet.open(http, subscribers, false, (s, d, t) -> { },
            Duration.ofSeconds(30 + subscribers / 200))) {
            problems.append(set.problems());
            int connected = set.connected();
            CpuMeter cpu = CpuMeter.start(server);
            long started = System.nanoTime();
            long end = started + length.toNanos();
            long interval = (long) (1e9 / postsPerSecond);
            long nextPost = started;
            long nextSample = started + sampleEvery.toNanos();
            while (System.nanoTime() < end) {
                try {
                    control.post("soak " + posted + " " + padding);
                    posted++;
                } catch (BenchException e) {
                    if (errors++ == 0) {
                        problems.append("first failed post: ").append(e.getMessage()).append("; ");
                    }
                }
                long now = System.nanoTime();
                if (now >= nextSample) {
                    nextSample = now + sampleEvery.toNanos();
                    long oldest;
                    try {
                        oldest = control.oldestId();
                    } catch (BenchException e) {
                        oldest = -1;
                        problems.append("a check of the oldest message failed: ").append(e.getMessage()).append("; ");
                    }
                    samples.add(new Sample((now - started) / 1e9, posted, set.frames(), oldest,
                        server == null ? -1 : server.memoryBytes().orElse(-1)));
                    if (heapFull == null && oldest > 1) {
                        fullAfter = (now - started) / 1e9;
                        heapFull = reading(heap, problems);
                        if (heapFull == null) {
                            heapFull = -1L; // full, but not readable: stop trying
                        }
                    }
                }
                nextPost += interval;
                long wait = nextPost - System.nanoTime();
                if (wait > 0) {
                    ServerProcess.sleep(Math.max(0, Math.min(wait, end - System.nanoTime())) / 1_000_000);
                } else {
                    nextPost = System.nanoTime(); // behind: post on, without a burst to catch up
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long expected = posted * connected;
            settle(set, expected);
            CpuMeter.Usage usage = cpu.stop();
            Long heapEnd = reading(heap, problems);
            if (heapFull != null && heapFull < 0) {
                heapFull = null;
            }
            problems.append(set.dropped() > 0 ? set.dropped() + " streams closed by the server; " : "");
            return new Result(length.toMillis() / 1000.0, seconds, subscribers, connected, postsPerSecond,
                messageBytes, posted, errors, expected, set.frames(), set.dropped(), heapStart, heapFull, heapEnd,
                fullAfter, samples, problems.toString(), usage);
        }
    }

    /** Waits until every delivery arrived, or none did for a while. */
    private static void settle(SubscriberSet set, long expected) {
        long last = set.frames();
        long quietSince = System.nanoTime();
        while (set.frames() < expected && System.nanoTime() - quietSince < QUIET.toNanos()) {
            ServerProcess.sleep(50);
            long now = set.frames();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static Long reading(HeapProbe heap, StringBuilder problems) {
        if (heap == null) {
            return null;
        }
        OptionalLong bytes = heap.afterFullGc();
        if (bytes.isEmpty()) {
            problems.append("heap not read: ").append(heap.lastError()).append("; ");
            return null;
        }
        return bytes.getAsLong();
    }
}
