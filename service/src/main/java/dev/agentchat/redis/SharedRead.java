package dev.agentchat.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One read of Redis shared by the callers that ask the same question ({@code key}) while nothing newer
 * has reached this instance ({@code seen}, a count that only grows): the first caller reads, the others
 * wait for its answer. Its answer holds at least what had arrived by {@code seen}, because the read
 * began after it. A newer arrival makes the next caller read again, and so does an answer older than
 * {@link #FRESH_NANOS} (an arrival this instance missed, with its subscription dropped, is then stale
 * for no longer than that). A read that failed is not shared afterwards. The callers may block: they
 * run where Redis calls are allowed.
 *
 * @param <K> the question
 * @param <V> the answer, never changed once read
 */
public final class SharedRead<K, V> {
    /** How long an answer may be shared: well past the time one post's polls take to be answered. */
    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AtomicReference<Read<K, V>> last = new AtomicReference<>();

    /** The answer to {@code key}: shared if one was read since {@code seen}, else {@code read}'s. */
    public V get(long seen, K key, Supplier<V> read) {
        while (true) {
            Read<K, V> shared = last.get();
            long now = System.nanoTime();
            if (shared != null && shared.seen() == seen && shared.key().equals(key) && now - shared.began() < FRESH_NANOS
                && !shared.answer().isCompletedExceptionally()) {
                try {
                    return shared.answer().join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
            Read<K, V> mine = new Read<>(seen, key, now, new CompletableFuture<>());
            if (last.compareAndSet(shared, mine)) {
                try {
                    V answer = read.get();
                    mine.answer().complete(answer);
                    return answer;
                } catch (RuntimeException e) {
                    mine.answer().completeExceptionally(e);
                    throw e;
                }
            }
        }
    }

    private record Read<K, V>(long seen, K key, long began, CompletableFuture<V> answer) {
    }
}
