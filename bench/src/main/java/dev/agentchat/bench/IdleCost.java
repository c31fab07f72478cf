package dev.agentchat.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server's resident memory before and after K idle SSE streams are opened. */
final class IdleCost {
    private static final long SETTLE_MILLIS = 2000;

    record Result(int connections, int connected, long rssBeforeBytes, long rssAfterBytes, String problems) {
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
            map.put("problems", problems.isEmpty() ? null : problems);
            return map;
        }
    }

    static Result run(Http http, LocalProcess server, int connections) {
        ServerProcess.sleep(SETTLE_MILLIS);
        long before = server.rssBytes().orElseThrow(() -> new BenchException("cannot read the server's /proc status"));
        try (SubscriberSet set = SubscriberSet.open(http, connections, false, (s, d, t) -> { },
            Duration.ofSeconds(30 + connections / 200))) {
            ServerProcess.sleep(SETTLE_MILLIS);
            long after = server.rssBytes().orElse(before);
            return new Result(connections, set.connected(), before, after, set.problems());
        }
    }
}
