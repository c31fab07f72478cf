package dev.agentchat.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's memory before and after K idle SSE streams are opened: resident memory of one
 * process, or the proportional set sizes of a master and its workers (see {@link MeasuredProcess}).
 */
final class IdleCost {
    private static final long SETTLE_MILLIS = 2000;

    record Result(int connections, int connected, long rssBeforeBytes, long rssAfterBytes, String memoryKind,
                  String problems) {
        double kibPerConnection() {
            return connected == 0 ? Double.NaN : (rssAfterBytes - rssBeforeBytes) / 1024.0 / connected;
        }

        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("connections", connections);
            map.put("connected", connected);
            map.put("rss_before_bytes", rssBeforeBytes);
            map.put("rss_after_bytes", rssAfterBytes);
            map.put("kib_per_connection", kibPerConnection());
            map.put("mib_per_1000_connections", kibPerConnection() * 1000 / 1024);
            map.put("memory_counted_as", memoryKind);
            map.put("problems", problems.isEmpty() ? null : problems);
            return map;
        }
    }

    static Result run(Http http, MeasuredProcess server, int connections) {
        ServerProcess.sleep(SETTLE_MILLIS);
        long before = server.memoryBytes().orElseThrow(() -> new BenchException("cannot read the server's /proc status"));
        try (SubscriberSet set = SubscriberSet.open(http, connections, false, (s, d, t) -> { },
            Duration.ofSeconds(30 + connections / 200))) {
            ServerProcess.sleep(SETTLE_MILLIS);
            long after = server.memoryBytes().orElse(before);
            return new Result(connections, set.connected(), before, after, server.memoryKind(), set.problems());
        }
    }
}
