package dev.agentchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A master process and its children (nginx's master and workers), read through {@code /proc} at
 * each reading, so every worker's CPU and memory count. Memory is the sum of each process's
 * {@code Pss}: nchan's shared-memory zone and the binary, mapped by every worker, count once
 * (the sum of {@code VmRSS} would count them once per worker).
 */
record ProcessGroup(long master) implements MeasuredProcess {
    /** The master and its current children. */
    List<LocalProcess> processes() {
        List<LocalProcess> all = new ArrayList<>();
        all.add(new LocalProcess(master));
        for (long child : children()) {
            all.add(new LocalProcess(child));
        }
        return all;
    }

    /** The master's children, from {@code /proc/<pid>/task/<tid>/children}. */
    List<Long> children() {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(master), "task"))) {
            for (Path task : tasks.toList()) {
                String text = Files.readString(task.resolve("children")).trim();
                if (!text.isEmpty()) {
                    for (String pid : text.split("\\s+")) {
                        children.add(Long.parseLong(pid));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return children;
        }
        return children;
    }

    @Override
    public OptionalLong memoryBytes() {
        return sum(LocalProcess::pssBytes);
    }

    @Override
    public OptionalLong cpuNanos() {
        return sum(LocalProcess::cpuNanos);
    }

    @Override
    public OptionalLong systemCpuNanos() {
        return sum(LocalProcess::systemCpuNanos);
    }

    @Override
    public OptionalLong compilerCpuNanos() {
        return sum(LocalProcess::compilerCpuNanos);
    }

    /** The figure summed over the master and its workers; empty when any of them cannot be read. */
    private OptionalLong sum(Function<LocalProcess, OptionalLong> figure) {
        long sum = 0;
        for (LocalProcess process : processes()) {
            OptionalLong value = figure.apply(process);
            if (value.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += value.getAsLong();
        }
        return OptionalLong.of(sum);
    }

    @Override
    public String memoryKind() {
        return "sum of Pss over the master and its workers";
    }
}
