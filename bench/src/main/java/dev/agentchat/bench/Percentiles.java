package dev.agentchat.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nearest-rank percentiles of a set of durations, in milliseconds. */
record Percentiles(long count, double p50, double p99, double max) {
    static final Percentiles NONE = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);

    /** @param nanos durations in nanoseconds; only the first {@code count} are used */
    static Percentiles of(long[] nanos, int count) {
        if (count == 0) {
            return NONE;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Percentiles(count, millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)), millis(sorted[count - 1]));
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    Map<String, Object> json() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("p50_ms", p50);
        map.put("p99_ms", p99);
        map.put("max_ms", max);
        return map;
    }
}
