package dev.agentchat.cli.serve;

import dev.agentchat.cli.tunnel.Tunnel;
import dev.agentchat.cli.tunnel.TunnelException;
import dev.agentchat.cli.tunnel.TunnelKind;
import dev.agentchat.cli.tunnel.TunnelStarter;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The room's tunnel, started again when it stops while the room runs: the room, whose messages live in
 * memory, outlives a tunnel that dropped. A quick tunnel comes back under a new address, which is said
 * and given to the room's guide; after {@link #TRIES} starts that fail in a row the room goes on at its
 * local address, and says so.
 */
final class KeptTunnel implements AutoCloseable {
    static final int TRIES = 3;
    private static final Duration PAUSE = Duration.ofSeconds(2);

    private final TunnelStarter starter;
    private final String local;
    private final Duration timeout;
    private final PrintWriter err;
    private final Consumer<String> publicUrl;
    private final ExecutorService restarts = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tunnel-restart");
        thread.setDaemon(true);
        return thread;
    });
    private Tunnel current;
    private boolean closed;

    /**
     * @param first     the tunnel the room started with
     * @param local     the room's URL on this machine, which the tunnel forwards to
     * @param publicUrl told each new address of the room
     */
    KeptTunnel(Tunnel first, TunnelStarter starter, String local, Duration timeout, PrintWriter err,
               Consumer<String> publicUrl) {
        this.starter = starter;
        this.local = local;
        this.timeout = timeout;
        this.err = err;
        this.publicUrl = publicUrl;
        this.current = first;
        watch(first);
    }

    private void watch(Tunnel tunnel) {
        tunnel.exited().thenAccept(code -> {
            synchronized (this) {
                if (!closed) {
                    restarts.execute(() -> restart(tunnel, code));
                }
            }
        });
    }

    private void restart(Tunnel stopped, int code) {
        TunnelKind kind = stopped.kind();
        say("⚠️ The " + kind + " tunnel stopped (exit code " + code + ")" + stopped.why() + "; starting it again");
        for (int tried = 1; tried <= TRIES; tried++) {
            try {
                Tunnel again = starter.start(kind, local, timeout);
                synchronized (this) {
                    if (closed) {
                        again.close();
                        return;
                    }
                    current = again;
                }
                publicUrl.accept(again.publicUrl());
                say("🌐 The room is public again at " + again.publicUrl()
                    + (again.publicUrl().equals(stopped.publicUrl()) ? "" : " (the old address no longer works: give agents this one)"));
                watch(again);
                return;
            } catch (TunnelException e) {
                say("⚠️ " + e.getMessage());
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                return; // the room is stopping
            }
        }
        say("❌ The " + kind + " tunnel could not be started again: the room goes on at " + local
            + " (this machine) only");
    }

    private void say(String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    /** The address the running tunnel reported. */
    synchronized String publicUrl() {
        return current.publicUrl();
    }

    /** Stops the tunnel running now, and any start of a new one. */
    @Override
    public void close() {
        Tunnel running;
        synchronized (this) {
            closed = true;
            running = current;
        }
        restarts.shutdownNow();
        running.close();
    }
}
