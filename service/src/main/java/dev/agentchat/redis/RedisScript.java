package dev.agentchat.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA-1 digest (EVALSHA), so the script's text crosses the network only when
 * Redis does not know it yet: the first time, and again after a restart emptied its script cache.
 */
public final class RedisScript {
    private final String source;
    /** The script's SHA-1 in hex, as Redis names a script it knows. */
    private final String digest;

    public RedisScript(String source) {
        this.source = source;
        try {
            this.digest = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        try {
            return redis.evalsha(digest, type, keys, args);
        } catch (RedisNoScriptException e) {
            // EVAL runs the script and leaves it in the cache for the next EVALSHA
            return redis.eval(source, type, keys, args);
        }
    }

    /** As {@link #run}, without waiting: the outcome, when Redis has answered. */
    public <T> CompletionStage<T> runAsync(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
                                           String... args) {
        return redis.<T>evalsha(digest, type, keys, args).handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedStage(result);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(source, type, keys, args);
            }
            return CompletableFuture.<T>failedStage(cause);
        }).thenCompose(stage -> stage);
    }
}
