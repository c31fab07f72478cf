package dev.agentchat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N subscribers, M messages: each message carries its send time, so every subscriber measures the
 * delay from the start of the POST to its own receipt of the event. W unmeasured messages go first,
 * at the same pace: a delivery path the server has not yet compiled at this scale would otherwise
 * be measured along with it (the first messages to 10,000 subscribers on a fresh server take 2-3
 * times as long as the later ones).
 */
final class FanOut {
    /** How long delivery may stall before the rest counts as lost. */
    private static final Duration QUIET = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofMillis(500);

    record Result(int subscribers, int connected, int messages, long expected, long delivered, long duplicates,
                  double deliveryRatio, Percentiles latency, double connectSeconds, int dropped, String problems,
                  int warmUpMessages, long warmUpDelivered, List<Double> perMessageMaxMillis, CpuMeter.Usage cpu) {
        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("subscribers", subscribers);
            map.put("connected", connected);
            map.put("messages", messages);
            map.put("expected_deliveries", expected);
            map.put("delivered", delivered);
            map.put("duplicates", duplicates);
            map.put("delivery_ratio", deliveryRatio);
            map.put("latency", latency.json());
            map.put("connect_seconds", connectSeconds);
            map.put("streams_dropped_by_server", dropped);
            map.put("problems", problems.isEmpty() ? null : problems);
            map.put("warm_up_messages", warmUpMessages);
            map.put("warm_up_delivered", warmUpDelivered);
            map.put("per_message_max_ms", perMessageMaxMillis);
            map.put("cpu", cpu.json());
            map.put("server_cpu_us_per_delivery", cpu.serverMicrosEach(delivered));
            return map;
        }
    }

    private final int messages;
    private final String tag;
    private final String marker;
    private final long[] latencies;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong warmUps = new AtomicLong();

    private FanOut(int subscribers, int messages) {
        this.messages = messages;
        this.tag = "f" + Long.toString(System.nanoTime(), 36);
        this.marker = "\"text\":\"bench " + tag + " ";
        this.latencies = new long[subscribers * messages];
        Arrays.fill(latencies, -1);
    }

    /** @param warmUp unmeasured messages sent first (each subscriber should receive them all) */
    static Result run(Http http, Control control, MeasuredProcess server, int subscribers, int messages, int warmUp,
                      Duration interval) {
        return new FanOut(subscribers, messages).run(http, control, server, subscribers, warmUp, interval);
    }

    private Result run(Http http, Control control, MeasuredProcess server, int subscribers, int warmUp, Duration interval) {
        Duration connectTimeout = Duration.ofSeconds(30 + subscribers / 200);
        try (SubscriberSet set = SubscriberSet.open(http, subscribers, true, this::received, connectTimeout)) {
            int connected = set.connected();
            long expected = (long) connected * messages;
            // a stream says ": connected" just before it joins the room; let the last ones join, then
            // send the unmeasured messages and let them all arrive
            ServerProcess.sleep(SETTLE.toMillis());
            for (int i = 0; i < warmUp; i++) {
                control.post("bench " + tag + " warm-up");
                ServerProcess.sleep(interval.toMillis());
            }
            awaitCount(warmUps, (long) connected * warmUp);
            ServerProcess.sleep(interval.toMillis());
            CpuMeter cpu = CpuMeter.start(server);
            for (int seq = 0; seq < messages; seq++) {
                control.post("bench " + tag + " " + seq + " " + System.nanoTime());
                ServerProcess.sleep(interval.toMillis());
            }
            awaitCount(delivered, expected);
            CpuMeter.Usage usage = cpu.stop();
            long got = delivered.get();
            int count = 0;
            long[] found = new long[(int) Math.min(Integer.MAX_VALUE, got)];
            for (long latency : latencies) {
                if (latency >= 0 && count < found.length) {
                    found[count++] = latency;
                }
            }
            double ratio = expected == 0 ? 0 : (double) got / expected;
            return new Result(subscribers, connected, messages, expected, got, duplicates.get(), ratio,
                Percentiles.of(found, count), set.openSeconds(), set.dropped(), set.problems(), warmUp, warmUps.get(),
                perMessageMax(), usage);
        }
    }

    /** The slowest delivery of each message: tells one slow message (a pause) from a slow crowd. */
    private List<Double> perMessageMax() {
        List<Double> result = new ArrayList<>(messages);
        for (int seq = 0; seq < messages; seq++) {
            long max = -1;
            for (int slot = seq; slot < latencies.length; slot += messages) {
                max = Math.max(max, latencies[slot]);
            }
            result.add(max < 0 ? null : max / 1_000_000.0);
        }
        return result;
    }

    /** Waits until the counter reaches {@code expected}, or until it has not moved for {@link #QUIET}. */
    private static void awaitCount(AtomicLong counter, long expected) {
        long last = -1;
        long lastProgress = System.nanoTime();
        while (counter.get() < expected) {
            long now = counter.get();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > QUIET.toNanos()) {
                return;
            }
            ServerProcess.sleep(10);
        }
    }

    /** Parses {@code "text":"bench <tag> <seq> <sendNanos>"} out of a message event's JSON. */
    private void received(int subscriber, String data, long receivedNanos) {
        int at = data.indexOf(marker);
        if (at < 0) {
            return;
        }
        int seqStart = at + marker.length();
        if (data.startsWith("warm-up", seqStart)) {
            warmUps.incrementAndGet();
            return;
        }
        int seqEnd = data.indexOf(' ', seqStart);
        int timeEnd = data.indexOf('"', seqEnd);
        int seq = Integer.parseInt(data, seqStart, seqEnd, 10);
        long sent = Long.parseLong(data, seqEnd + 1, timeEnd, 10);
        int slot = subscriber * messages + seq;
        if (latencies[slot] >= 0) {
            duplicates.incrementAndGet();
            return;
        }
        latencies[slot] = receivedNanos - sent;
        delivered.incrementAndGet();
    }
}
