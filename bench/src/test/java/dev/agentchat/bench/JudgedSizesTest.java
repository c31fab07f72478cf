package dev.agentchat.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which fan-out sizes each target judges: the sizes the targets name, and no others. */
class JudgedSizesTest {
    private static final List<Integer> SIZES = List.of(100, 1_000, 10_000, 19_000);

    @Test
    void theFixedP99TargetJudgesTenThousandSubscribersOnly() {
        Table table = new Table();
        Rows rows = new Rows(table, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        for (int size : SIZES) {
            rows.fanOut("fan-out " + size + ": ", fanOut(size, 300), true);
        }

        Map<String, String> targets = targetsOf(table, "latency p50/p99/max");

        assertEquals(Map.of("fan-out 100: latency p50/p99/max", "",
            "fan-out 1000: latency p50/p99/max", "",
            "fan-out 10000: latency p50/p99/max", "p99 <= 250 ms MISSED",
            "fan-out 19000: latency p50/p99/max", ""), targets);
    }

    @Test
    void aCrossInstanceRunIsJudgedAgainstNoTarget() {
        Table table = new Table();
        Rows rows = new Rows(table, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        rows.fanOut("cross-instance fan-out 10000: ", fanOut(10_000, 300), false);

        assertEquals(Map.of("cross-instance fan-out 10000: latency p50/p99/max", ""),
            targetsOf(table, "latency p50/p99/max"));
    }

    @Test
    void cpuPerDeliveryIsJudgedAgainstThePeerFromOneToTenThousandSubscribers() {
        Map<String, Boolean> judged = comparisonAtEverySize().lines().stream()
            .filter(line -> line.metric().endsWith("server CPU per delivery"))
            .collect(Collectors.toMap(Comparison.Line::metric, Comparison.Line::judged));

        assertEquals(Map.of("fan-out 100: server CPU per delivery", false,
            "fan-out 1000: server CPU per delivery", true,
            "fan-out 10000: server CPU per delivery", true,
            "fan-out 19000: server CPU per delivery", false), judged);
    }

    @Test
    void p99IsJudgedAgainstThePeerAtEverySize() {
        long judged = comparisonAtEverySize().lines().stream()
            .filter(line -> line.metric().endsWith("latency p99") && line.judged())
            .count();

        assertEquals(SIZES.size(), judged);
    }

    /** Both servers' fan-outs at every size, ours slower. */
    private static Comparison comparisonAtEverySize() {
        ServerFigures ours = new ServerFigures("agent-chat");
        ServerFigures nchan = new ServerFigures("nchan");
        for (int size : SIZES) {
            ours.fanOut(fanOut(size, 30));
            nchan.fanOut(fanOut(size, 20));
        }
        return new Comparison(ours, nchan);
    }

    private static Map<String, String> targetsOf(Table table, String metricEnd) {
        return table.rows().stream().filter(row -> row.metric().endsWith(metricEnd))
            .collect(Collectors.toMap(Table.Row::metric, row -> (row.target() + " " + row.verdict()).trim(),
                (a, b) -> a, LinkedHashMap::new));
    }

    /** Every stream connected and got every message, with the given p99 and 20 µs of server CPU per delivery. */
    private static FanOut.Result fanOut(int subscribers, double p99) {
        long deliveries = subscribers * 20L;
        CpuMeter.Usage cpu = new CpuMeter.Usage(0.1, deliveries * 20e-6, 0, 0, 1.0);
        return new FanOut.Result(subscribers, subscribers, 20, deliveries, deliveries, 0, 1.0,
            new Percentiles(deliveries, 10, p99, p99 + 10), 1.0, 0, null, 0, 0, List.of(p99), cpu);
    }
}
