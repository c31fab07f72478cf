package dev.agentchat.transport;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.HashSet;
import java.util.Set;

/**
 * A signal that fires once and wakes every waiter, whether it came before or after: a room's next post
 * for the long-polls waiting on it, the server's shutdown for every waiting poll. A waiter joins and
 * leaves in constant time. A Reactor sink copies its whole array of waiters whenever one joins or
 * leaves, so a thousand polls waiting on one room copied half a million references, and that garbage
 * was a fifth of what a long-poll round allocated.
 */
public final class OneShotSignal {
    /** Null once fired. */
    private Set<MonoSink<Void>> waiting = new HashSet<>();

    /** Completes when the signal fires, at once if it has; cancelling it leaves the waiters. */
    public Mono<Void> next() {
        return Mono.create(sink -> {
            if (join(sink)) {
                sink.onDispose(() -> leave(sink));
            } else {
                sink.success();
            }
        });
    }

    /** Wakes every waiter, now and later. */
    public void fire() {
        Set<MonoSink<Void>> woken;
        synchronized (this) {
            woken = waiting;
            waiting = null;
        }
        if (woken != null) {
            woken.forEach(MonoSink::success);
        }
    }

    /** How many wait now (tests). */
    synchronized int waiters() {
        return waiting == null ? 0 : waiting.size();
    }

    private synchronized boolean join(MonoSink<Void> sink) {
        return waiting != null && waiting.add(sink);
    }

    private synchronized void leave(MonoSink<Void> sink) {
        if (waiting != null) {
            waiting.remove(sink);
        }
    }
}
