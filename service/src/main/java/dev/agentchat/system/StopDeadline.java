package dev.agentchat.system;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Once a stop has begun, the process exits within {@link #LIMIT} even if stopping cleanly hangs (a
 * heap so full that the stop itself cannot finish): a server that neither serves nor stops is worse
 * than one that stops abruptly. The watching thread exists before it is needed, so arming it
 * allocates nothing.
 */
public final class StopDeadline {
    /** Clean stops take well under a second; a supervisor usually waits 10 s before SIGKILL. */
    public static final Duration LIMIT = Duration.ofMillis(4500);
    private static final int STATUS = 1;
    private static final CountDownLatch ARMED = new CountDownLatch(1);

    static {
        Thread watcher = new Thread(StopDeadline::watch, "agent-chat-stop-deadline");
        watcher.setDaemon(true);
        watcher.start();
    }

    private StopDeadline() {
    }

    /** A stop has begun: exit within {@link #LIMIT} whatever happens. Idempotent. */
    public static void arm() {
        ARMED.countDown();
    }

    private static void watch() {
        try {
            ARMED.await();
            Thread.sleep(LIMIT.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("agent-chat: the stop did not finish within " + LIMIT.toMillis() + " ms; exiting");
        Runtime.getRuntime().halt(STATUS);
    }

    /** Starts the watching thread ahead of need (loading the class does). */
    public static void prepare() {
        // the static initialiser did it
    }
}
