package dev.agentchat.room;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscribers following one room on this instance. Callers deliver one message at a time, in id
 * order (never two at once), so every follower sees messages in id order; a follower whose buffer is
 * full is cut off rather than allowed to hold the others back.
 */
public final class Subscribers {
    private final Set<Subscriber> followers = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    /** The long-polls waiting for the room's next post ({@link Room#pollWaiting}). */
    private final AtomicInteger polls = new AtomicInteger();
    /** When a follower last left (epoch millis), 0 before any did. */
    private volatile long lastLeft;

    public Subscribers(Clock clock) {
        this.clock = clock;
    }

    public void add(Subscriber follower) {
        followers.add(follower);
    }

    public void remove(Subscriber follower) {
        if (followers.remove(follower)) {
            lastLeft = clock.millis();
        }
    }

    /** See {@link Room#lastFollowed}. */
    public long lastFollowed() {
        return followers.isEmpty() && polls.get() == 0 ? lastLeft : clock.millis();
    }

    /** See {@link Room#pollWaiting}. */
    public void pollWaiting() {
        polls.incrementAndGet();
    }

    /** See {@link Room#pollDone}. */
    public void pollDone() {
        polls.decrementAndGet();
        lastLeft = clock.millis();
    }

    public boolean isEmpty() {
        return followers.isEmpty();
    }

    /** Offers the message to every follower, cutting off those that cannot take it. */
    public void deliver(ChatMessage message) {
        for (Subscriber follower : followers) {
            if (!follower.offer(message)) {
                remove(follower);
                follower.cutOff();
            }
        }
    }

    /** Ends every subscription cleanly (shutdown, expiry). */
    public void completeAll() {
        for (Subscriber follower : followers) {
            follower.complete();
        }
        followers.clear();
        lastLeft = clock.millis();
    }
}
