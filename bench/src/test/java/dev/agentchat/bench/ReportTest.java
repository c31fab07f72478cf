package dev.agentchat.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run's page: what it draws from the figures. */
class ReportTest {
    private static final Map<String, Object> MACHINE = Map.of("date", "2026-12-05", "cpu", "test", "cores", 2,
        "load_average_at_start", 0.1);

    @Test
    void theCpuChartDrawsOurFigureLessItsJitCompilersBesideTheWhole() {
        ServerFigures ours = new ServerFigures("agent-chat");
        // 1,000 deliveries in 1 s at 0.02 cores, 0.005 of them the compiler's: 20 µs each, 15 less the compiler's
        ours.fanOut(fanOut(new CpuMeter.Usage(0.1, 0.02, 0.01, 0.005, 1.0)));

        String html = new Report(MACHINE, ours, null, null).html();

        assertTrue(html.contains("agent-chat less its JIT compiler's"), html);
        assertTrue(html.contains(">20.0 µs</text>"), html);
        assertTrue(html.contains(">15.0 µs</text>"), html);
    }

    @Test
    void withoutTheServersCpuThereIsNoSecondBar() {
        ServerFigures ours = new ServerFigures("agent-chat");
        ours.fanOut(fanOut(new CpuMeter.Usage(0.1, Double.NaN, Double.NaN, Double.NaN, 1.0)));

        String html = new Report(MACHINE, ours, null, null).html();

        assertFalse(html.contains("less its JIT compiler"), html);
    }

    private static FanOut.Result fanOut(CpuMeter.Usage cpu) {
        return new FanOut.Result(1000, 1000, 1, 1000, 1000, 0, 1.0, new Percentiles(1000, 10, 20, 30), 1.0, 0, null,
            0, 0, List.of(30.0), cpu);
    }
}
