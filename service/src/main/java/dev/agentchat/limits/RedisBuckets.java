package dev.agentchat.limits;

import dev.agentchat.redis.RedisConnections;
import dev.agentchat.redis.RedisKeys;
import dev.agentchat.redis.RedisScript;

import io.lettuce.core.ScriptOutputType;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The rate limits' token buckets in Redis, one hash per bucket, so that every instance counts against
 * the same ones. Taking a token is one Lua script: Redis runs it atomically and on its own clock, so
 * neither concurrent requests nor the instances' clocks can disagree. A bucket's key expires once it
 * would be full again, when forgetting it changes nothing.
 */
@Singleton
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisBuckets implements SharedBuckets {
    /** KEYS[1] the bucket; ARGV burst, refill (µs per token), 1 to take or 0 to look; returns the wait in µs. */
    private static final RedisScript TAKE = new RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local burst = tonumber(ARGV[1])
        local refill = tonumber(ARGV[2])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
          tokens = burst
          at = now
        end
        if now > at then
          tokens = math.min(burst, tokens + (now - at) / refill)
          at = now
        end
        if tokens < 1 then return math.ceil((1 - tokens) * refill) end
        if ARGV[3] == '1' then
          tokens = tokens - 1
          redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.0f', at))
          redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * refill / 1000) + 1000)
        end
        return 0
        """);

    private final RedisConnections redis;

    public RedisBuckets(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public long take(String key, int burst, Duration refill, boolean take) {
        long refillMicros = Math.max(1, refill.toNanos() / 1000);
        Long waitMicros = TAKE.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{RedisKeys.bucket(key)},
            Integer.toString(burst), Long.toString(refillMicros), take ? "1" : "0");
        return waitMicros == null ? 0 : waitMicros * 1000;
    }
}
