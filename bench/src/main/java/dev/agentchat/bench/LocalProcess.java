package dev.agentchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A process on this machine, read through {@code /proc}: resident memory and CPU time. */
record LocalProcess(long pid) implements MeasuredProcess {
    /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on every common Linux. */
    private static final long TICKS_PER_SECOND = 100;

    /** Stops a child process: politely (SIGTERM), then by force if it is still there after 10 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Resident set size in bytes ({@code VmRSS}). */
    @Override
    public OptionalLong memoryBytes() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** User plus system CPU time in nanoseconds. */
    @Override
    public OptionalLong cpuNanos() {
        return cpuTicks(true);
    }

    @Override
    public OptionalLong systemCpuNanos() {
        return cpuTicks(false);
    }

    /** {@code stime}, plus {@code utime} when {@code withUser}, from {@code /proc/<pid>/stat}, in nanoseconds. */
    private OptionalLong cpuTicks(boolean withUser) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name may contain spaces; fields after it are fixed
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = (withUser ? Long.parseLong(fields[11]) : 0) + Long.parseLong(fields[12]);
            return OptionalLong.of(ticks * 1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String memoryKind() {
        return "VmRSS";
    }

    /** Proportional set size in bytes ({@code Pss} of {@code smaps_rollup}): shared pages split among their users. */
    OptionalLong pssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    String[] parts = line.substring(4).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
