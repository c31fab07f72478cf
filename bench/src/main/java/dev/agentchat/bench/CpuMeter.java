package dev.agentchat.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * CPU used during a phase, in cores (1.0 = one core busy the whole time): the generator's own, from
 * the JVM, and the server's, from {@code /proc} when it runs on this machine.
 */
final class CpuMeter {
    private final MeasuredProcess server;
    private final long startWall;
    private final long startOwn;
    private final OptionalLong startServer;
    private final OptionalLong startServerSystem;
    private final OptionalLong startServerCompiler;

    private CpuMeter(MeasuredProcess server) {
        this.server = server;
        this.startWall = System.nanoTime();
        this.startOwn = ownCpuNanos();
        this.startServer = server == null ? OptionalLong.empty() : server.cpuNanos();
        this.startServerSystem = server == null ? OptionalLong.empty() : server.systemCpuNanos();
        this.startServerCompiler = server == null ? OptionalLong.empty() : server.compilerCpuNanos();
    }

    /** @param server the local server process, or null when only the generator is measured */
    static CpuMeter start(MeasuredProcess server) {
        return new CpuMeter(server);
    }

    /**
     * Cores used since {@link #start}.
     *
     * @param serverSystemCores   the kernel's part of {@code serverCores} (system time: the sockets'
     *                            system calls and the network stack on the server's behalf)
     * @param serverCompilerCores the JIT compiler threads' part of {@code serverCores} (0 for nginx)
     */
    record Usage(double generatorCores, double serverCores, double serverSystemCores, double serverCompilerCores,
                 double seconds) {
        /** Server CPU time in the phase, in milliseconds (NaN when not measured). */
        double serverCpuMillis() {
            return serverCores * seconds * 1000;
        }

        /** Server CPU time per unit of work (a delivery, a wake-up, a request), in microseconds. */
        double serverMicrosEach(double units) {
            return units <= 0 ? Double.NaN : serverCpuMillis() * 1000 / units;
        }

        /** The kernel's part of {@link #serverMicrosEach}. */
        double serverSystemMicrosEach(double units) {
            return units <= 0 ? Double.NaN : serverSystemCores * seconds * 1_000_000 / units;
        }

        /** The JIT compiler's part of {@link #serverMicrosEach}: what a server in service no longer spends. */
        double serverCompilerMicrosEach(double units) {
            return units <= 0 ? Double.NaN : serverCompilerCores * seconds * 1_000_000 / units;
        }

        /** {@link #serverMicrosEach} less the JIT compiler's part: what a server in service would spend. */
        double serverWarmMicrosEach(double units) {
            return serverMicrosEach(units) - serverCompilerMicrosEach(units);
        }

        /** Two phases as one: their times added, their cores weighted by time. */
        Usage plus(Usage other) {
            double total = seconds + other.seconds;
            return new Usage(weighted(generatorCores, other.generatorCores, other.seconds, total),
                weighted(serverCores, other.serverCores, other.seconds, total),
                weighted(serverSystemCores, other.serverSystemCores, other.seconds, total),
                weighted(serverCompilerCores, other.serverCompilerCores, other.seconds, total), total);
        }

        private double weighted(double mine, double theirs, double theirSeconds, double total) {
            return (mine * seconds + theirs * theirSeconds) / total;
        }

        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("seconds", seconds);
            map.put("generator_cores", generatorCores);
            map.put("server_cores", Double.isNaN(serverCores) ? null : serverCores);
            map.put("server_cpu_ms", serverCpuMillis());
            map.put("server_system_cores", Double.isNaN(serverSystemCores) ? null : serverSystemCores);
            map.put("server_compiler_cores", Double.isNaN(serverCompilerCores) ? null : serverCompilerCores);
            return map;
        }
    }

    Usage stop() {
        double wall = Math.max(1, System.nanoTime() - startWall);
        double own = (ownCpuNanos() - startOwn) / wall;
        return new Usage(own, since(startServer, MeasuredProcess::cpuNanos, wall),
            since(startServerSystem, MeasuredProcess::systemCpuNanos, wall),
            since(startServerCompiler, MeasuredProcess::compilerCpuNanos, wall), wall / 1e9);
    }

    /** The server's cores of one kind over {@code wall} nanoseconds; NaN when not measured. */
    private double since(OptionalLong start, Function<MeasuredProcess, OptionalLong> reading, double wall) {
        if (server == null || start.isEmpty()) {
            return Double.NaN;
        }
        OptionalLong now = reading.apply(server);
        return now.isPresent() ? (now.getAsLong() - start.getAsLong()) / wall : Double.NaN;
    }

    static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
