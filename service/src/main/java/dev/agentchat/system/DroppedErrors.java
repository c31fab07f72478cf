package dev.agentchat.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What becomes of an error that reaches a reactive operator after its subscriber is done. Reactor logs
 * each such error, stack trace and all, by default. While a server stops, the Redis client's event bus
 * may still hand work to an executor that has just stopped: that refusal is the stop itself, not a
 * fault, so it goes to the debug log, and a server that cannot start says why in one line. Every other
 * dropped error is still logged as an error.
 */
public final class DroppedErrors {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedErrors.class);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private DroppedErrors() {
    }

    /** Installs the handling for the whole process, once (Reactor's hook adds up when set again). */
    public static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            Hooks.onErrorDropped(DroppedErrors::dropped);
        }
    }

    static void dropped(Throwable error) {
        if (error instanceof RejectedExecutionException) {
            LOG.debug("Work refused by an executor that has stopped, after its subscriber was done", error);
        } else {
            LOG.error("An error arrived after its subscriber was done", error);
        }
    }
}
