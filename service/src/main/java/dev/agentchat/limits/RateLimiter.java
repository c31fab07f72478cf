package dev.agentchat.limits;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a client address, an agent name), with the buckets kept bounded in number.
 * With {@link SharedBuckets} the buckets are those of the shared store, counted by every instance; while
 * the store cannot be reached this instance counts in its own memory instead, so that a client is still
 * limited (per instance) rather than refused or let through unchecked.
 */
final class RateLimiter {
    /**
     * Above this many keys, buckets that are full again are forgotten: then again once their number has
     * doubled, or once a bucket emptied at the last sweep would be full, so that many keys still waiting
     * are not all looked at for every new one.
     */
    static final int SWEEP_ABOVE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final String name;
    private final int burst;
    private final Duration refill;
    private final long refillNanos;
    private final ApiError error;
    private final LongSupplier nanoTime;
    @Nullable
    private final SharedBuckets shared;
    private volatile boolean sharedFailing;
    private final long fullAfterNanos;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile int sweepAbove = SWEEP_ABOVE;
    private volatile long sweptAt;
    private volatile int sweeps;

    /**
     * @param name   the limiter's name in the shared store (its keys are {@code name:key})
     * @param shared the shared store, or null to count in this process only
     */
    RateLimiter(String name, int burst, Duration refill, ApiError error, LongSupplier nanoTime,
                @Nullable SharedBuckets shared) {
        this.name = name;
        this.burst = burst;
        this.refill = refill;
        this.refillNanos = refill.toNanos();
        this.fullAfterNanos = Math.multiplyExact(refillNanos, (long) burst);
        this.error = error;
        this.nanoTime = nanoTime;
        this.shared = shared;
    }

    /** Takes a token for the key, or throws the limit's error with the time until the next one. */
    void take(String key) {
        refuseIfWaiting(take(key, true));
    }

    /** Throws the limit's error when the key has no token left, without taking one. */
    void check(String key) {
        refuseIfWaiting(take(key, false));
    }

    /** Takes a token if there is one, never throwing (the error comes with the next {@link #check}). */
    void spend(String key) {
        take(key, true);
    }

    /** The wait for a token: from the shared store when there is one and it answers, else from memory. */
    private long take(String key, boolean take) {
        if (shared != null) {
            try {
                long wait = shared.take(name + ':' + key, burst, refill, take);
                sharedFailing = false;
                return wait;
            } catch (RuntimeException e) {
                if (!sharedFailing) {
                    sharedFailing = true;
                    LOG.warn("Shared rate limits unavailable ({}): counting in this instance until they are back",
                        e.getMessage());
                }
            }
        }
        long now = nanoTime.getAsLong();
        if (take) {
            return bucket(key, now).take(now);
        }
        TokenBucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.waitFor(now);
    }

    private TokenBucket bucket(String key, long now) {
        TokenBucket known = buckets.get(key);
        if (known != null) {
            return known;
        }
        int keys = buckets.size();
        if (keys > SWEEP_ABOVE && (keys > sweepAbove || now - sweptAt > fullAfterNanos) && sweeping.compareAndSet(false, true)) {
            try {
                buckets.values().removeIf(b -> b.isFull(now));
                sweepAbove = Math.max(SWEEP_ABOVE, buckets.size() * 2);
                sweptAt = now;
                sweeps++;
            } finally {
                sweeping.set(false);
            }
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(burst, refillNanos, now));
    }

    /** How many keys are kept (for tests). */
    int keys() {
        return buckets.size();
    }

    /** How many times the keys were looked through (for tests). */
    int sweeps() {
        return sweeps;
    }

    private void refuseIfWaiting(long waitNanos) {
        if (waitNanos > 0) {
            throw refusal(waitNanos);
        }
    }

    private ApiException refusal(long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return error.limit(burst, seconds);
    }
}
