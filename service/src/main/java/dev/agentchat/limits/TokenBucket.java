package dev.agentchat.limits;

/**
 * A token bucket: holds up to {@code burst} tokens and regains one every {@code refillNanos}.
 * Time is passed in so that the bucket needs no clock of its own.
 */
final class TokenBucket {
    private final int burst;
    private final long refillNanos;
    private double tokens;
    private long updated;

    TokenBucket(int burst, long refillNanos, long now) {
        this.burst = burst;
        this.refillNanos = Math.max(1, refillNanos);
        this.tokens = burst;
        this.updated = now;
    }

    /** Takes a token; returns 0 when one was there, otherwise the nanoseconds until one will be. */
    synchronized long take(long now) {
        long wait = waitFor(now);
        if (wait == 0) {
            tokens -= 1;
        }
        return wait;
    }

    /** Like {@link #take} but leaves the token in the bucket. */
    synchronized long waitFor(long now) {
        refill(now);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * refillNanos);
    }

    /** Whether the bucket is full again, so forgetting it changes nothing. */
    synchronized boolean isFull(long now) {
        refill(now);
        return tokens >= burst;
    }

    private void refill(long now) {
        long elapsed = now - updated;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + (double) elapsed / refillNanos);
            updated = now;
        }
    }
}
