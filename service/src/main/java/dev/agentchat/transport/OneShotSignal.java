package dev.agentchat.transport;

import reactor.core.Disposable;
import reactor.core.Disposables;

import java.util.HashSet;
import java.util.Set;

/**
 * A signal that fires once and wakes every waiter, whether it came before or after: a room's next post
 * for the long-polls waiting on it, the server's shutdown for every waiting poll. A waiter is a plain
 * callback and joins and leaves in constant time: a long-poll's whole wait is one object, where a
 * reactive chain per waiter made a thousand waiting polls a sizeable part of what a young collection
 * had to copy.
 */
public final class OneShotSignal {
    /** Null once fired. */
    private Set<Runnable> waiting = new HashSet<>();

    /**
     * Runs {@code wake} when the signal fires, at once (on this thread) if it has. Each waiter is a
     * distinct object (joining twice with the same one counts once).
     *
     * @return disposing it leaves the waiters, so {@code wake} is not run
     */
    public Disposable whenFired(Runnable wake) {
        if (!join(wake)) {
            wake.run();
            return Disposables.disposed();
        }
        return () -> leave(wake);
    }

    /** Wakes every waiter, now and later. */
    public void fire() {
        Set<Runnable> woken;
        synchronized (this) {
            woken = waiting;
            waiting = null;
        }
        if (woken != null) {
            woken.forEach(Runnable::run);
        }
    }

    /** How many wait now (tests). */
    synchronized int waiters() {
        return waiting == null ? 0 : waiting.size();
    }

    private synchronized boolean join(Runnable wake) {
        if (waiting == null) {
            return false;
        }
        waiting.add(wake);
        return true;
    }

    private synchronized void leave(Runnable wake) {
        if (waiting != null) {
            waiting.remove(wake);
        }
    }
}
