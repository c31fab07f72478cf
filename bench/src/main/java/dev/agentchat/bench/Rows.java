package dev.agentchat.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Each scenario's result as rows of the console table, judged against its target where it has one,
 * and the problems a scenario met printed as notes.
 */
final class Rows {
    /** The fan-out size whose p99 is judged against {@link #LATENCY_TARGET_MILLIS} (other sizes only against a peer). */
    static final int LATENCY_TARGET_SUBSCRIBERS = 10_000;
    static final int LATENCY_TARGET_MILLIS = 250;

    private final Table table;
    private final PrintStream out;

    Rows(Table table, PrintStream out) {
        this.table = table;
        this.out = out;
    }

    void startUp(ServerProcess started) {
        table.add("start-up to first /health", ms(started.startupMillis())
                + " (" + ms(started.startupCpuMillis()) + " CPU)", "<= 2000 ms",
            started.startupMillis() <= 2000);
    }

    void idle(String prefix, IdleCost.Result idle, boolean judge) {
        String metric = prefix + "idle SSE stream memory (" + idle.connected() + "/" + idle.connections()
            + " open after " + idle.warmUpConnected() + ")";
        String value = String.format(Locale.ROOT, "%.1f KiB each", idle.kibPerConnection());
        if (judge) {
            table.add(metric, value, "<= 40 KiB", idle.kibPerConnection() <= 40);
        } else {
            table.add(metric, value);
        }
        if (idle.warmUpConnected() > 0) {
            table.add(prefix + "idle SSE stream memory, the first " + idle.warmUpConnected(),
                String.format(Locale.ROOT, "%.1f KiB each (one-time costs included)", idle.firstKibPerConnection()));
        }
        note(idle.problems());
    }

    /** @param judge whether this server is judged against the targets (not a cross-instance run's) */
    void fanOut(String name, FanOut.Result fan, boolean judge) {
        table.add(name + "connected", fan.connected() + "/" + fan.subscribers(), "all",
            fan.connected() == fan.subscribers());
        table.add(name + "delivery ratio", String.format(Locale.ROOT, "%.4f", fan.deliveryRatio()), "1.0",
            fan.deliveryRatio() == 1.0);
        String latency = String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", fan.latency().p50(),
            fan.latency().p99(), fan.latency().max());
        if (judge && fan.subscribers() == LATENCY_TARGET_SUBSCRIBERS) {
            table.add(name + "latency p50/p99/max", latency, "p99 <= " + LATENCY_TARGET_MILLIS + " ms",
                fan.latency().p99() <= LATENCY_TARGET_MILLIS);
        } else {
            table.add(name + "latency p50/p99/max", latency);
        }
        table.add(name + "CPU server/generator", cores(fan.cpu())
            + micros(fan.cpu().serverMicrosEach(fan.delivered()), "delivery")
            + parts(fan.cpu(), fan.delivered()));
        note(fan.problems());
        long warmUpExpected = (long) fan.connected() * fan.warmUpMessages();
        if (fan.warmUpDelivered() != warmUpExpected) {
            note("the " + fan.warmUpMessages() + " unmeasured warm-up messages made " + fan.warmUpDelivered()
                + " of " + warmUpExpected + " deliveries");
        }
    }

    void longPoll(String name, LongPollWake.Result poll, boolean judge) {
        table.add(name + "woken", poll.woken() + "/" + poll.expected() + " in " + poll.rounds().size() + " rounds"
            + (poll.answeredEarly() > 0 ? " (" + poll.answeredEarly() + " early)" : ""));
        Percentiles wake = poll.wake();
        String latency = String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms (worst round p99 %.1f)", wake.p50(),
            wake.p99(), wake.max(), poll.worstRoundP99());
        if (judge) {
            table.add(name + "wake-up p50/p99/max", latency, "p99 <= 50 ms",
                poll.woken() == poll.expected() && wake.p99() <= 50);
        } else {
            table.add(name + "wake-up p50/p99/max", latency);
        }
        CpuMeter.Usage cpu = poll.cpu();
        table.add(name + "CPU server/generator", cores(cpu) + micros(cpu.serverMicrosEach(poll.woken()), "wake-up")
            + parts(cpu, poll.woken()));
        Percentiles cold = poll.cold().percentiles();
        table.add(name + "cold first round p50/p99", String.format(Locale.ROOT, "%.1f / %.1f ms", cold.p50(),
            cold.p99()) + micros(poll.cold().cpu().serverMicrosEach(poll.cold().woken()), "wake-up"));
    }

    void throughput(int concurrency, Throughput.Result ceiling, Throughput.Result bare, Throughput.Result loaded) {
        table.add("GET /health ceiling (c=" + concurrency + ")", perSecond(ceiling));
        table.add("  CPU server/generator", cores(ceiling.cpu()) + micros(ceiling.cpu().serverMicrosEach(ceiling.ok()), "request"));
        double ratio = bare.perSecond() / ceiling.perSecond();
        table.add("POST /messages (c=" + concurrency + ")", perSecond(bare) + ratio(ratio), ">= 0.60 x ceiling",
            ratio >= 0.60);
        table.add("  CPU server/generator", cores(bare.cpu()) + micros(bare.cpu().serverMicrosEach(bare.ok()), "request"));
        table.add("POST /messages, " + loaded.subscribers() + " subscribers",
            perSecond(loaded) + ratio(loaded.perSecond() / ceiling.perSecond()));
        table.add("  events delivered to subscribers",
            String.format(Locale.ROOT, "%,.0f/s, %d streams dropped", loaded.subscriberFramesPerSecond(),
                loaded.subscribersDropped()));
        table.add("  CPU server/generator", cores(loaded.cpu()) + micros(loaded.cpu().serverMicrosEach(loaded.ok()), "post"));
        note(ceiling.problems());
        note(bare.problems());
        note(loaded.problems());
    }

    void soak(Soak.Result soak) {
        table.add("soak: posted", String.format(Locale.ROOT, "%,d in %.0f s (%d errors)", soak.posted(), soak.seconds(),
            soak.postErrors()));
        table.add("soak: delivery ratio (" + soak.connected() + "/" + soak.subscribers() + " streams)",
            String.format(Locale.ROOT, "%.4f", soak.deliveryRatio()), "1.0", soak.deliveryRatio() == 1.0);
        table.add("soak: heap after GC at start", mib(soak.heapStartBytes()));
        if (soak.filled()) {
            table.add(String.format(Locale.ROOT, "soak: heap after GC when full (%.0f s)", soak.fullAfterSeconds()),
                mib(soak.heapFullBytes()));
            table.add("soak: heap after GC at end", mib(soak.heapEndBytes()) + (soak.growthBytes() == null ? ""
                    : String.format(Locale.ROOT, " (%+.1f MiB since full)", soak.growthBytes() / 1048576.0)),
                "flat once full", Boolean.FALSE.equals(soak.grew()));
        } else {
            table.add("soak: heap after GC at end", mib(soak.heapEndBytes()) + " (budgets never full: run longer, "
                + "or start the server with a smaller -Xmx)");
        }
        table.add("soak: CPU server/generator", cores(soak.cpu()) + micros(soak.cpu().serverMicrosEach(soak.posted()), "post"));
        note(soak.problems());
    }

    /** Each one-shot command of each CLI; ours judged against 250 ms, the baseline (the original) beside them. */
    void cli(CliStartup.Result result, String baseline) {
        for (Map.Entry<String, Map<String, CliStartup.Timing>> command : result.timings().entrySet()) {
            for (Map.Entry<String, CliStartup.Timing> each : command.getValue().entrySet()) {
                CliStartup.Timing timing = each.getValue();
                String name = "cli " + command.getKey() + " (" + each.getKey() + ") p50/max";
                String value = String.format(Locale.ROOT, "%.0f / %.0f ms", timing.wall().p50(), timing.wall().max())
                    + (timing.cpu().count() > 0 ? String.format(Locale.ROOT, " (%.0f ms CPU)", timing.cpu().p50()) : "")
                    + (timing.failures() > 0 ? " (" + timing.failures() + " failed)" : "");
                double ratio = result.ratio(command.getKey(), each.getKey());
                if (!Double.isNaN(ratio) && !each.getKey().equals(baseline)) {
                    value += String.format(Locale.ROOT, " = %.2f x original", ratio);
                }
                if (each.getKey().equals(baseline)) {
                    table.add(name, value);
                } else {
                    table.add(name, value, "p50 <= 250 ms", timing.failures() == 0 && timing.wall().p50() <= 250);
                }
                if (timing.lastFailure() != null) {
                    note(each.getKey() + " " + command.getKey() + ": " + timing.lastFailure());
                }
            }
        }
    }

    /** A problem a scenario met, printed under the progress lines (never dropped silently). */
    void note(String problems) {
        if (problems != null && !problems.isEmpty()) {
            out.println("  note: " + problems);
        }
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static String mib(Long bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String perSecond(Throughput.Result result) {
        return String.format(Locale.ROOT, "%,.0f/s", result.perSecond())
            + (result.errors() > 0 ? " (" + result.errors() + " errors)" : "");
    }

    private static String micros(double micros, String unit) {
        return Double.isNaN(micros) ? "" : String.format(Locale.ROOT, ", server %.0f us CPU/%s", micros, unit);
    }

    /** What the kernel and the JIT compiler took of the server's CPU per unit of work. */
    private static String parts(CpuMeter.Usage usage, double units) {
        double kernel = usage.serverSystemMicrosEach(units);
        double compiler = usage.serverCompilerMicrosEach(units);
        if (Double.isNaN(kernel)) {
            return "";
        }
        return Double.isNaN(compiler) ? String.format(Locale.ROOT, " (%.0f in the kernel)", kernel)
            : String.format(Locale.ROOT, " (%.0f in the kernel, %.0f in the JIT compiler)", kernel, compiler);
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, ratio >= 0.1 ? " = %.2f x ceiling" : " = %.4f x ceiling", ratio);
    }

    private static String cores(CpuMeter.Usage usage) {
        return Double.isNaN(usage.serverCores())
            ? String.format(Locale.ROOT, "? / %.2f cores", usage.generatorCores())
            : String.format(Locale.ROOT, "%.2f / %.2f cores", usage.serverCores(), usage.generatorCores());
    }
}
