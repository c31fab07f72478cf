package dev.agentchat.limits;

import java.time.Duration;

/**
 * Token buckets kept outside this process, so that every instance sharing the store counts against
 * the same buckets ({@code dev.agentchat.limits.RedisBuckets} when a Redis is configured). Without
 * one, the buckets live in each instance's memory.
 */
public interface SharedBuckets {

    /**
     * Takes a token from the bucket {@code key} (when {@code take}) or only looks at it.
     *
     * @return 0 when a token was there, otherwise the nanoseconds until one will be
     * @throws RuntimeException when the store cannot be reached; the caller then counts locally
     */
    long take(String key, int burst, Duration refill, boolean take);
}
