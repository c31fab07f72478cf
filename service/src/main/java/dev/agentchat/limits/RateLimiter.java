package dev.agentchat.limits;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One token bucket per key (a client address, an agent name), with the buckets kept bounded in number. */
final class RateLimiter {
    /** Above this many keys, buckets that are full again are forgotten. */
    private static final int SWEEP_ABOVE = 10_000;

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final int burst;
    private final long refillNanos;
    private final ApiError error;
    private final LongSupplier nanoTime;

    RateLimiter(int burst, Duration refill, ApiError error, LongSupplier nanoTime) {
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.error = error;
        this.nanoTime = nanoTime;
    }

    /** Takes a token for the key, or throws the limit's error with the time until the next one. */
    void take(String key) {
        long now = nanoTime.getAsLong();
        refuseIfWaiting(bucket(key, now).take(now));
    }

    /** Throws the limit's error when the key has no token left, without taking one. */
    void check(String key) {
        long now = nanoTime.getAsLong();
        TokenBucket bucket = buckets.get(key);
        if (bucket != null) {
            refuseIfWaiting(bucket.waitFor(now));
        }
    }

    /** Takes a token if there is one, never throwing (the error comes with the next {@link #check}). */
    void spend(String key) {
        long now = nanoTime.getAsLong();
        bucket(key, now).take(now);
    }

    private TokenBucket bucket(String key, long now) {
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(burst, refillNanos, now));
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
