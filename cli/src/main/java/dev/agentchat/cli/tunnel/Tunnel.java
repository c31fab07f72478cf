package dev.agentchat.cli.tunnel;

import dev.agentchat.system.StopDeadline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A running tunnel process and the public URL it reported; {@link #close()} stops it and its children. */
public final class Tunnel implements AutoCloseable {
    /** How long a tunnel is given to stop when asked, and again once forced: a third of the stop in all. */
    private static final Duration GRACE = StopDeadline.LIMIT.dividedBy(6);

    private final TunnelKind kind;
    private final Process process;
    private final String publicUrl;
    /** What the program has said, for why it stopped. */
    private final TunnelOutput said;

    Tunnel(TunnelKind kind, Process process, String publicUrl, TunnelOutput said) {
        this.kind = kind;
        this.process = process;
        this.publicUrl = publicUrl;
        this.said = said;
    }

    public TunnelKind kind() {
        return kind;
    }

    public String publicUrl() {
        return publicUrl;
    }

    /** Completes with the exit code when the process ends. */
    public CompletableFuture<Integer> exited() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** ": why", in the program's own words (its first error, else its last line), to end a sentence on its end; or empty. */
    public String why() {
        return said.why();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(process);
    }

    /**
     * Asks the process and its descendants to stop, then forces them: within a third of the room's
     * whole stop ({@link StopDeadline#LIMIT}), which must leave the server time to stop after it.
     */
    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
