package dev.agentchat.messages;

import dev.agentchat.error.ApiError;
import dev.agentchat.redis.RedisKeys;
import dev.agentchat.redis.RedisScript;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.core.annotation.Nullable;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A room's {@link ReadCursors} in Redis, the same for every instance serving the room: one hash of
 * cursors and one of receipts ({@link RedisKeys#cursors}, {@link RedisKeys#receipts}). Setting a
 * cursor and raising a receipt are each one Lua script, so the cap on agents holds across instances
 * and a receipt never goes back. Both keys expire with the room. Blocking: call off the event loop.
 */
public final class RedisReadCursors implements ReadCursors {
    /** Sets KEYS[1][ARGV[1]] = ARGV[2] unless the hash holds ARGV[3] fields and not this one: then -1. */
    private static final RedisScript SET = new RedisScript("""
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
          return -1
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """);
    /** Raises KEYS[1][ARGV[1]] to ARGV[2] (never lowers it); a new field only while the hash has fewer than ARGV[3]. */
    private static final RedisScript SEEN = new RedisScript("""
        local before = redis.call('HGET', KEYS[1], ARGV[1])
        local id = tonumber(ARGV[2])
        if before then
          if tonumber(before) >= id then return 0 end
        elseif redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
          return 0
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """);

    private final String room;
    private final Supplier<RedisCommands<String, String>> commands;
    private final Supplier<RedisAsyncCommands<String, String>> async;
    private final long ttlMillis;
    /** The receipts this instance last raised, so a stream does not ask Redis again for an id already counted. */
    private final ConcurrentHashMap<String, Long> raised = new ConcurrentHashMap<>();

    public RedisReadCursors(String room, Supplier<RedisCommands<String, String>> commands,
                            Supplier<RedisAsyncCommands<String, String>> async, long ttlMillis) {
        this.room = room;
        this.commands = commands;
        this.async = async;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public OptionalLong get(String agent, boolean mentionsOnly) {
        return id(commands.get().hget(RedisKeys.cursors(room), key(agent, mentionsOnly)));
    }

    @Override
    public void set(String agent, boolean mentionsOnly, long id, int maxAgents) {
        Long outcome = SET.run(commands.get(), ScriptOutputType.INTEGER, new String[]{RedisKeys.cursors(room)},
            key(agent, mentionsOnly), Long.toString(id), Long.toString(2L * maxAgents), Long.toString(ttlMillis));
        if (outcome < 0) {
            throw ApiError.TOO_MANY_CURSORS.limit(maxAgents, null);
        }
    }

    @Override
    public void seen(String agent, long id, int maxAgents) {
        String name = agent.toLowerCase(Locale.ROOT);
        Long known = raised.get(name);
        if (known != null && known >= id) {
            return;
        }
        // not waited for: a stream tells each message it hands over from its connection's event loop, and
        // a receipt that Redis misses is raised by the next one
        try {
            SEEN.runAsync(async.get(), ScriptOutputType.INTEGER, new String[]{RedisKeys.receipts(room)},
                name, Long.toString(id), Integer.toString(maxAgents), Long.toString(ttlMillis));
        } catch (RuntimeException e) {
            return; // not connected: nothing to raise it in
        }
        if (known != null || raised.size() < maxAgents) {
            raised.merge(name, id, Math::max);
        }
    }

    @Override
    public Map<String, Long> readUpTo(Collection<String> agents) {
        if (agents.isEmpty()) {
            return Map.of();
        }
        List<String> given = List.copyOf(agents);
        String[] names = given.stream().map(agent -> agent.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        RedisCommands<String, String> redis = commands.get();
        List<KeyValue<String, String>> receipts = redis.hmget(RedisKeys.receipts(room), names);
        List<KeyValue<String, String>> cursors = redis.hmget(RedisKeys.cursors(room), names);
        Map<String, Long> found = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            Long best = ReadCursors.newer(id(receipts.get(i)), id(cursors.get(i)));
            if (best != null) {
                found.put(given.get(i), best);
            }
        }
        return found;
    }

    private static OptionalLong id(String value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }

    @Nullable
    private static Long id(KeyValue<String, String> field) {
        return field.hasValue() ? Long.valueOf(field.getValue()) : null;
    }

    private static String key(String agent, boolean mentionsOnly) {
        return (mentionsOnly ? "@" : "") + agent.toLowerCase(Locale.ROOT);
    }
}
