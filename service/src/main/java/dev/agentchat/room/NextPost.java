package dev.agentchat.room;

import dev.agentchat.transport.OneShotSignal;
import reactor.core.Disposable;
import reactor.core.Disposables;

import java.util.function.BooleanSupplier;

/**
 * What the long-polls of one room on this instance wait on: its next post, or its end. Each post
 * fires one signal, which every poll waiting then shares, and puts a fresh one in its place for the
 * polls after it. Both rooms keep their ids their own way; this is the part they share.
 */
final class NextPost {
    private OneShotSignal next = new OneShotSignal();
    private volatile boolean ended;

    /**
     * Runs {@code wake} at the next post or the end, or now when {@code newer} (a message newer than
     * the poll's cursor exists). The signal is taken before {@code newer} is asked: a post in between
     * either is seen by it or fires the signal taken.
     */
    Disposable after(BooleanSupplier newer, Runnable wake) {
        OneShotSignal signal;
        synchronized (this) {
            signal = next;
        }
        Disposable waiting = signal.whenFired(wake);
        if (newer.getAsBoolean()) {
            waiting.dispose();
            wake.run();
            return Disposables.disposed();
        }
        return waiting;
    }

    /** A message was posted (once it is readable): wakes the polls waiting for it. */
    void posted() {
        OneShotSignal fired;
        synchronized (this) {
            fired = next;
            next = new OneShotSignal();
        }
        fired.fire();
    }

    /**
     * The room ended: marked first, so that the streams {@code close} ends and the polls then woken
     * answer that the room is gone rather than waiting on.
     */
    void end(Runnable close) {
        ended = true;
        close.run();
        posted();
    }

    boolean ended() {
        return ended;
    }
}
