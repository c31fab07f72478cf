package dev.agentchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One-shot CLI commands as agents run them, each a new process against the room: send, read, wait
 * (with a message already waiting, so it returns at once) and who, {@code runs} times each. Every CLI
 * under test takes its turn in each round, so a machine busy with something else slows them alike;
 * a CLI that lacks a command (the original has only send among these) is timed for what it has.
 */
final class CliStartup {
    /** The commands, in the order each round runs them. */
    static final List<String> COMMANDS = List.of("send", "read", "wait", "who");
    /** Longest any one command may take before it counts as failed. */
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * A CLI under test.
     *
     * @param name     its label in the results
     * @param command  how to start it, e.g. {@code [./agent-chat]}
     * @param commands which of {@link #COMMANDS} it has
     * @param env      extra environment
     */
    record Cli(String name, List<String> command, Set<String> commands, Map<String, String> env) {
    }

    /**
     * The timings of one command of one CLI.
     *
     * @param cpu user plus system CPU time of each run (NONE where /proc cannot tell)
     */
    record Timing(Percentiles wall, Percentiles cpu, int failures, String lastFailure) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>(wall.json());
            json.put("cpu_p50_ms", cpu.p50());
            json.put("failures", failures);
            if (lastFailure != null) {
                json.put("last_failure", lastFailure);
            }
            return json;
        }
    }

    /**
     * @param timings command, then CLI name, in order
     * @param baseline the CLI the others are compared with, or null
     */
    record Result(int runs, Map<String, Map<String, Timing>> timings, String baseline) {
        /** Median of {@code cli} over median of the baseline for {@code command}; NaN where either is missing. */
        double ratio(String command, String cli) {
            Map<String, Timing> byCli = timings.getOrDefault(command, Map.of());
            Timing ours = byCli.get(cli);
            Timing theirs = baseline == null ? null : byCli.get(baseline);
            if (ours == null || theirs == null || theirs.wall().count() == 0 || ours.wall().count() == 0) {
                return Double.NaN;
            }
            return ours.wall().p50() / theirs.wall().p50();
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runs", runs);
            json.put("baseline", baseline);
            for (Map.Entry<String, Map<String, Timing>> command : timings.entrySet()) {
                Map<String, Object> byCli = new LinkedHashMap<>();
                for (Map.Entry<String, Timing> cli : command.getValue().entrySet()) {
                    Map<String, Object> figures = cli.getValue().json();
                    double ratio = ratio(command.getKey(), cli.getKey());
                    if (!cli.getKey().equals(baseline) && !Double.isNaN(ratio)) {
                        figures.put("median_ratio_to_" + baseline, ratio);
                        Timing theirs = command.getValue().get(baseline);
                        figures.put("cpu_median_ratio_to_" + baseline, cli.getValue().cpu().p50() / theirs.cpu().p50());
                    }
                    byCli.put(cli.getKey(), figures);
                }
                json.put(command.getKey(), byCli);
            }
            return json;
        }
    }

    private CliStartup() {
    }

    /**
     * Times every command of every CLI {@code runs} times against {@code target}.
     *
     * @param baseline the name of the CLI the others are compared with, or null
     * @param state    a directory for the CLIs' read cursors (XDG_STATE_HOME)
     */
    static Result run(Target target, Control control, List<Cli> clis, String baseline, int runs, Path state) {
        Map<String, Map<String, long[]>> nanos = new LinkedHashMap<>();
        Map<String, Map<String, long[]>> cpuNanos = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> failures = new LinkedHashMap<>();
        Map<String, Map<String, String>> lastFailures = new LinkedHashMap<>();
        for (int round = 0; round < runs; round++) {
            for (Cli cli : clis) {
                String agent = "bench-" + cli.name().replaceAll("[^A-Za-z0-9_-]", "-");
                for (String command : COMMANDS) {
                    if (!cli.commands().contains(command)) {
                        continue;
                    }
                    if (command.equals("wait")) {
                        control.post("for @" + agent);
                    }
                    List<String> line = new ArrayList<>(cli.command());
                    line.add(command);
                    line.addAll(List.of("-u", target.url().toString(), "-p", target.password()));
                    switch (command) {
                        case "send" -> line.addAll(List.of("-a", agent, "-m", "round " + round));
                        case "read" -> line.addAll(List.of("-a", agent));
                        case "wait" -> line.addAll(List.of("-a", agent, "--timeout", "30"));
                        default -> { }
                    }
                    Outcome outcome = time(line, cli.env(), state);
                    long[] samples = nanos.computeIfAbsent(command, c -> new LinkedHashMap<>())
                        .computeIfAbsent(cli.name(), c -> new long[runs]);
                    long[] cpuSamples = cpuNanos.computeIfAbsent(command, c -> new LinkedHashMap<>())
                        .computeIfAbsent(cli.name(), c -> new long[runs]);
                    if (outcome.failure() == null) {
                        int i = counts.computeIfAbsent(command, c -> new LinkedHashMap<>()).merge(cli.name(), 1, Integer::sum);
                        samples[i - 1] = outcome.nanos();
                        cpuSamples[i - 1] = outcome.cpuNanos();
                    } else {
                        failures.computeIfAbsent(command, c -> new LinkedHashMap<>()).merge(cli.name(), 1, Integer::sum);
                        lastFailures.computeIfAbsent(command, c -> new LinkedHashMap<>()).put(cli.name(), outcome.failure());
                    }
                }
            }
        }
        Map<String, Map<String, Timing>> timings = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, long[]>> command : nanos.entrySet()) {
            Map<String, Timing> byCli = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> cli : command.getValue().entrySet()) {
                int ok = counts.getOrDefault(command.getKey(), Map.of()).getOrDefault(cli.getKey(), 0);
                long[] cpu = cpuNanos.get(command.getKey()).get(cli.getKey());
                boolean cpuKnown = ok > 0 && java.util.Arrays.stream(cpu, 0, ok).allMatch(n -> n >= 0);
                byCli.put(cli.getKey(), new Timing(Percentiles.of(cli.getValue(), ok),
                    cpuKnown ? Percentiles.of(cpu, ok) : Percentiles.NONE,
                    failures.getOrDefault(command.getKey(), Map.of()).getOrDefault(cli.getKey(), 0),
                    lastFailures.getOrDefault(command.getKey(), Map.of()).get(cli.getKey())));
            }
            timings.put(command.getKey(), byCli);
        }
        return new Result(runs, timings, baseline);
    }

    /** @param cpuNanos the process's user plus system CPU time, -1 when unknown */
    private record Outcome(long nanos, long cpuNanos, String failure) {
        static Outcome failed(String why) {
            return new Outcome(0, -1, why);
        }
    }

    /**
     * User plus system CPU time of this JVM's children that have been waited for ({@code cutime} and
     * {@code cstime} of {@code /proc/self/stat}, in 10 ms ticks), or -1 off Linux. A command's CPU
     * time is the difference across its run; the launcher script execs the JVM, so it is one process.
     */
    static long childrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Starts {@code line}, waits for it and returns its wall time, or why it failed (exit code and stderr). */
    private static Outcome time(List<String> line, Map<String, String> env, Path state) {
        Path err = null;
        try {
            err = Files.createTempFile(state, "stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(line)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
            builder.environment().put("XDG_STATE_HOME", state.toString());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            builder.environment().putAll(env);
            long cpuBefore = childrenCpuNanos();
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Outcome.failed("timed out after " + TIMEOUT_SECONDS + " s");
            }
            long nanos = System.nanoTime() - start;
            long cpuAfter = childrenCpuNanos();
            if (process.exitValue() != 0) {
                String stderr = Files.readString(err).strip();
                return Outcome.failed("exit " + process.exitValue() + (stderr.isEmpty() ? "" : ": " + stderr));
            }
            return new Outcome(nanos, cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore, null);
        } catch (IOException e) {
            return Outcome.failed(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temporary file left in the state directory
                }
            }
        }
    }
}
