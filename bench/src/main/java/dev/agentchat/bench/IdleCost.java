package dev.agentchat.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What one more idle SSE stream costs a server that already holds some: resident memory of one
 * process, or the proportional set sizes of a master and its workers (see {@link MeasuredProcess}),
 * read after W warm-up streams are open and again after K more. The warm-up streams stay open, so
 * nothing the K streams take is memory the warm-up freed; they pay the one-time costs that are not
 * any stream's (a runtime touching its young generation for the first time, compiling the stream's
 * code path), which the first streams' own figure shows.
 */
final class IdleCost {
    private static final long SETTLE_MILLIS = 2000;

    record Result(int warmUp, int warmUpConnected, int connections, int connected, long rssStartBytes,
                  long rssBeforeBytes, long rssAfterBytes, String memoryKind, String problems) {
        /** The K streams' memory, each: the figure compared. */
        double kibPerConnection() {
            return connected == 0 ? Double.NaN : (rssAfterBytes - rssBeforeBytes) / 1024.0 / connected;
        }

        /** The warm-up streams' memory, each, one-time costs included. */
        double firstKibPerConnection() {
            return warmUpConnected == 0 ? Double.NaN : (rssBeforeBytes - rssStartBytes) / 1024.0 / warmUpConnected;
        }

        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("warm_up_connections", warmUp);
            map.put("warm_up_connected", warmUpConnected);
            map.put("connections", connections);
            map.put("connected", connected);
            map.put("rss_start_bytes", rssStartBytes);
            map.put("rss_before_bytes", rssBeforeBytes);
            map.put("rss_after_bytes", rssAfterBytes);
            map.put("kib_per_connection", kibPerConnection());
            map.put("mib_per_1000_connections", kibPerConnection() * 1000 / 1024);
            map.put("warm_up_kib_per_connection", firstKibPerConnection());
            map.put("memory_counted_as", memoryKind);
            map.put("problems", problems.isEmpty() ? null : problems);
            return map;
        }
    }

    /**
     * @param warmUp      streams opened first and kept open (0 for none)
     * @param connections streams measured after them
     */
    static Result run(Http http, MeasuredProcess server, int warmUp, int connections) {
        ServerProcess.sleep(SETTLE_MILLIS);
        long start = readMemory(server);
        try (SubscriberSet first = SubscriberSet.open(http, warmUp, false, (s, d, t) -> { }, timeout(warmUp))) {
            ServerProcess.sleep(SETTLE_MILLIS);
            long before = server.memoryBytes().orElse(start);
            try (SubscriberSet set = SubscriberSet.open(http, connections, false, (s, d, t) -> { }, timeout(connections))) {
                ServerProcess.sleep(SETTLE_MILLIS);
                long after = server.memoryBytes().orElse(before);
                String problems = String.join("; ", Stream.of(first.problems(), set.problems())
                    .filter(p -> !p.isEmpty()).toList());
                return new Result(warmUp, first.connected(), connections, set.connected(), start, before, after,
                    server.memoryKind(), problems);
            }
        }
    }

    private static long readMemory(MeasuredProcess server) {
        return server.memoryBytes().orElseThrow(() -> new BenchException("cannot read the server's /proc status"));
    }

    private static Duration timeout(int connections) {
        return Duration.ofSeconds(30 + connections / 200);
    }
}
