package dev.agentchat.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** A process on this machine, read through {@code /proc}: resident memory and CPU time. */
record LocalProcess(long pid) implements MeasuredProcess {
    /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on every common Linux. */
    private static final long TICKS_PER_SECOND = 100;
    /** HotSpot's compiler threads: {@code C1 CompilerThread0}, {@code C2 CompilerThread1}, ... */
    private static final Pattern COMPILER_THREAD = Pattern.compile("C[12] CompilerThre");

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
            long ticks = ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), withUser);
            return OptionalLong.of(ticks * 1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code stime}, plus {@code utime} when {@code withUser}, in clock ticks, from a {@code stat} file's text. */
    private static long ticks(String stat, boolean withUser) {
        // the command name may contain spaces; fields after it are fixed
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (withUser ? Long.parseLong(fields[11]) : 0) + Long.parseLong(fields[12]);
    }

    /**
     * Summed over the threads the JVM names for its compilers ({@code C1 CompilerThread0}, cut to 15
     * characters in {@code stat}). HotSpot may stop a compiler thread beyond the first of each kind when
     * it has nothing to do, taking its time with it; on two cores there is one of each.
     */
    @Override
    public OptionalLong compilerCpuNanos() {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads) {
                ticks += compilerTicks(thread);
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ticks * 1_000_000_000L / TICKS_PER_SECOND);
    }

    /** A thread's user plus system ticks when it is a compiler thread; 0 otherwise, or when it has just ended. */
    private static long compilerTicks(Path thread) {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            // one read: stat names the thread in parentheses, before its times
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            return COMPILER_THREAD.matcher(name).lookingAt() ? ticks(stat, true) : 0;
        } catch (IOException e) {
            return 0;
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
