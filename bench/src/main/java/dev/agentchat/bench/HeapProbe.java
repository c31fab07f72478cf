package dev.agentchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The heap a server process on this machine still holds after a full collection, read from outside
 * with the JDK's own tools: {@code jcmd PID GC.run} (a {@code System.gc()}, full on every collector the
 * server might use) and then {@code jstat -gc PID} (survivor, eden and old-generation use). Nothing
 * in the server serves it, so no endpoint has to be opened or protected for it.
 */
final class HeapProbe {
    private static final long TOOL_SECONDS = 60;

    private final long pid;
    private String lastError;

    HeapProbe(long pid) {
        this.pid = pid;
    }

    /** Bytes in use right after a full collection, or empty (see {@link #lastError()}). */
    OptionalLong afterFullGc() {
        try {
            run("jcmd", Long.toString(pid), "GC.run");
            return OptionalLong.of(used(run("jstat", "-gc", Long.toString(pid))));
        } catch (IOException | RuntimeException e) {
            lastError = e.getMessage();
            return OptionalLong.empty();
        }
    }

    /** Why the last reading failed (no JDK tools, the process gone, an unknown format). */
    String lastError() {
        return lastError;
    }

    /** S0U + S1U + EU + OU of {@code jstat -gc}'s two lines, given in KiB. */
    static long used(String jstat) throws IOException {
        String[] lines = jstat.strip().split("\\R");
        if (lines.length < 2) {
            throw new IOException("jstat -gc printed no figures: " + jstat);
        }
        List<String> names = List.of(lines[0].trim().split("\\s+"));
        String[] values = lines[1].trim().split("\\s+");
        double kib = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            int at = names.indexOf(column);
            if (at < 0 || at >= values.length) {
                throw new IOException("jstat -gc has no " + column + " column: " + lines[0]);
            }
            kib += Double.parseDouble(values[at]);
        }
        return (long) (kib * 1024);
    }

    /** Runs a JDK tool (the one beside this JVM, else from the PATH) and returns its output. */
    private static String run(String tool, String... args) throws IOException {
        Path beside = Path.of(System.getProperty("java.home"), "bin", tool);
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(beside) ? beside.toString() : tool);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(TOOL_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(tool + " did not finish within " + TOOL_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(tool + " " + String.join(" ", args) + " exited with " + process.exitValue() + ": "
                + output.strip());
        }
        return output;
    }
}
