package dev.agentchat.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU used during a phase, in cores (1.0 = one core busy the whole time): the generator's own, from
 * the JVM, and the server's, from {@code /proc} when it runs on this machine.
 */
final class CpuMeter {
    private final MeasuredProcess server;
    private final long startWall;
    private final long startOwn;
    private final OptionalLong startServer;

    private CpuMeter(MeasuredProcess server) {
        this.server = server;
        this.startWall = System.nanoTime();
        this.startOwn = ownCpuNanos();
        this.startServer = server == null ? OptionalLong.empty() : server.cpuNanos();
    }

    /** @param server the local server process, or null when only the generator is measured */
    static CpuMeter start(MeasuredProcess server) {
        return new CpuMeter(server);
    }

    /** Cores used since {@link #start}. */
    record Usage(double generatorCores, double serverCores, double seconds) {
        /** Server CPU time in the phase, in milliseconds (NaN when not measured). */
        double serverCpuMillis() {
            return serverCores * seconds * 1000;
        }

        /** Server CPU time per unit of work (a delivery, a wake-up, a request), in microseconds. */
        double serverMicrosEach(double units) {
            return units <= 0 ? Double.NaN : serverCpuMillis() * 1000 / units;
        }

        /** Two phases as one: their times added, their cores weighted by time. */
        Usage plus(Usage other) {
            double total = seconds + other.seconds;
            return new Usage((generatorCores * seconds + other.generatorCores * other.seconds) / total,
                (serverCores * seconds + other.serverCores * other.seconds) / total, total);
        }

        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("seconds", seconds);
            map.put("generator_cores", generatorCores);
            map.put("server_cores", Double.isNaN(serverCores) ? null : serverCores);
            map.put("server_cpu_ms", serverCpuMillis());
            return map;
        }
    }

    Usage stop() {
        double wall = Math.max(1, System.nanoTime() - startWall);
        double own = (ownCpuNanos() - startOwn) / wall;
        double serverCores = Double.NaN;
        if (server != null && startServer.isPresent()) {
            OptionalLong now = server.cpuNanos();
            if (now.isPresent()) {
                serverCores = (now.getAsLong() - startServer.getAsLong()) / wall;
            }
        }
        return new Usage(own, serverCores, wall / 1e9);
    }

    static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
