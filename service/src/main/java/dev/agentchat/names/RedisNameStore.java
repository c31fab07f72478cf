package dev.agentchat.names;

import dev.agentchat.redis.RedisConnections;
import dev.agentchat.redis.RedisKeys;
import dev.agentchat.redis.RedisScript;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The names of every room in Redis, shared by every instance on it: a claim made, a token revoked,
 * a name blocked or muted on one instance holds on all of them; kicks, mutes and unmutes are published
 * so each instance ends its own streams and polls of a kicked name and tells its watchers.
 */
@Singleton
@Requires(property = RedisConnections.URL_PROPERTY)
@Replaces(MemoryNameStore.class)
public class RedisNameStore implements NameStore {
    /** Claims a name unless it is claimed: the claim hash, the token's key, the set of claims, one TTL. */
    private static final RedisScript CLAIM = new RedisScript("""
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'name', ARGV[1], 'kind', ARGV[2], 'token', ARGV[3], 'used', ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6])
        redis.call('SADD', KEYS[3], ARGV[5])
        redis.call('PEXPIRE', KEYS[3], ARGV[6])
        return 1
        """);
    /** Ends a claim if it is still the one with this token, and remembers why its token ended. */
    private static final RedisScript END = new RedisScript("""
        if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
          redis.call('DEL', KEYS[1])
          redis.call('SREM', KEYS[4], ARGV[4])
        end
        redis.call('DEL', KEYS[2])
        redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
        return 1
        """);

    /**
     * Every claim of a room in one call, whatever their number: the set of claimed names (KEYS[1]) and
     * the prefix of a claim's hash (ARGV[1]); a name whose claim expired leaves the set.
     */
    private static final RedisScript CLAIMS = new RedisScript("""
        local found = {}
        for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local claim = ARGV[1] .. key
          if redis.call('HEXISTS', claim, 'token') == 1 then
            found[#found + 1] = redis.call('HGETALL', claim)
          else
            redis.call('SREM', KEYS[1], key)
          end
        end
        return found
        """);

    /**
     * Remembers a name the host kicked or muted (KEYS[1], a hash of key to name): the hash lives at
     * least as long as the newest block or mute asks (ARGV[3] ms), never less than it did.
     */
    private static final RedisScript MODERATED = new RedisScript("""
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
        return 1
        """);

    private final RedisConnections redis;
    private final List<Consumer<String>> announcementHandlers = new CopyOnWriteArrayList<>();

    public RedisNameStore(RedisConnections redis) {
        this.redis = redis;
        redis.onMessage((channel, message) -> {
            if (RedisKeys.MODERATION.equals(channel)) {
                announcementHandlers.forEach(handler -> handler.accept(message));
            }
        });
    }

    private RedisCommands<String, String> sync() {
        return redis.sync();
    }

    @Override
    public Claim claimOf(String room, String key) {
        Map<String, String> fields = sync().hgetall(RedisKeys.names(room, "claim:" + key));
        if (fields == null || fields.isEmpty() || !fields.containsKey("token")) {
            return null;
        }
        return claim(fields);
    }

    private static Claim claim(Map<String, String> fields) {
        return new Claim(fields.get("name"), fields.get("kind"), fields.get("token"), Long.parseLong(fields.get("used")));
    }

    @Override
    public Claim byToken(String room, String tokenHash) {
        String key = sync().get(RedisKeys.names(room, "token:" + tokenHash));
        if (key == null) {
            return null;
        }
        Claim claim = claimOf(room, key);
        return claim != null && claim.tokenHash().equals(tokenHash) ? claim : null;
    }

    @Override
    public boolean claim(String room, String key, Claim claim, long ttlMillis) {
        Long done = CLAIM.run(sync(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.names(room, "claim:" + key), RedisKeys.names(room, "token:" + claim.tokenHash()),
                RedisKeys.names(room, "claims")},
            claim.name(), claim.kind(), claim.tokenHash(), Long.toString(claim.lastUsed()), key, Long.toString(ttlMillis));
        return done != null && done == 1;
    }

    @Override
    public void touch(String room, String key, Claim claim, long ttlMillis) {
        RedisCommands<String, String> redis = sync();
        String claimKey = RedisKeys.names(room, "claim:" + key);
        redis.hset(claimKey, "used", Long.toString(claim.lastUsed()));
        redis.pexpire(claimKey, ttlMillis);
        redis.pexpire(RedisKeys.names(room, "token:" + claim.tokenHash()), ttlMillis);
        redis.pexpire(RedisKeys.names(room, "claims"), ttlMillis);
    }

    @Override
    public void end(String room, String key, Claim claim, String reason, long rememberMillis) {
        END.run(sync(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.names(room, "claim:" + key), RedisKeys.names(room, "token:" + claim.tokenHash()),
                RedisKeys.names(room, "ended:" + claim.tokenHash()), RedisKeys.names(room, "claims")},
            claim.tokenHash(), reason, Long.toString(rememberMillis), key);
    }

    @Override
    public String ended(String room, String tokenHash) {
        return sync().get(RedisKeys.names(room, "ended:" + tokenHash));
    }

    @Override
    public List<Claim> claims(String room) {
        List<Object> hashes = CLAIMS.run(sync(), ScriptOutputType.MULTI, new String[] {RedisKeys.names(room, "claims")},
            RedisKeys.names(room, "claim:"));
        List<Claim> found = new ArrayList<>();
        for (Object hash : hashes) {
            Map<String, String> fields = new HashMap<>();
            List<?> pairs = (List<?>) hash;
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                fields.put((String) pairs.get(i), (String) pairs.get(i + 1));
            }
            found.add(claim(fields));
        }
        return found;
    }

    @Override
    public long blockedUntil(String room, String key) {
        String until = sync().get(RedisKeys.names(room, "block:" + key));
        return until == null ? 0 : Long.parseLong(until);
    }

    @Override
    public Map<String, Long> blockedUntil(String room, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<String> asked = List.copyOf(keys);
        List<KeyValue<String, String>> blocks = sync().mget(asked.stream()
            .map(key -> RedisKeys.names(room, "block:" + key)).toArray(String[]::new));
        Map<String, Long> blocked = new HashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            if (blocks.get(i).hasValue()) {
                blocked.put(asked.get(i), Long.parseLong(blocks.get(i).getValue()));
            }
        }
        return blocked;
    }

    @Override
    public void block(String room, String key, long untilMillis) {
        sync().set(RedisKeys.names(room, "block:" + key), Long.toString(untilMillis), SetArgs.Builder.pxAt(untilMillis));
    }

    @Override
    public void moderated(String room, String key, String name, long ttlMillis) {
        MODERATED.run(sync(), ScriptOutputType.INTEGER, new String[] {RedisKeys.names(room, "moderated")},
            key, name, Long.toString(ttlMillis));
    }

    @Override
    public Map<String, String> moderated(String room) {
        return sync().hgetall(RedisKeys.names(room, "moderated"));
    }

    @Override
    public Set<String> muted(String room, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        List<String> asked = List.copyOf(keys);
        List<KeyValue<String, String>> mutes = sync().mget(asked.stream()
            .map(key -> RedisKeys.names(room, "mute:" + key)).toArray(String[]::new));
        Set<String> muted = new HashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            if (mutes.get(i).hasValue()) {
                muted.add(asked.get(i));
            }
        }
        return muted;
    }

    @Override
    public void mute(String room, String key, boolean muted, long ttlMillis) {
        if (muted) {
            sync().set(RedisKeys.names(room, "mute:" + key), "1", SetArgs.Builder.px(ttlMillis));
        } else {
            sync().del(RedisKeys.names(room, "mute:" + key));
        }
    }

    @Override
    public String observerHash(String room) {
        return sync().get(RedisKeys.names(room, "observer"));
    }

    @Override
    public void observer(String room, String passwordHash, long ttlMillis) {
        sync().set(RedisKeys.names(room, "observer"), passwordHash, SetArgs.Builder.px(ttlMillis));
    }

    @Override
    @Nullable
    public String session(String room, String idHash) {
        return sync().get(RedisKeys.names(room, "session:" + idHash));
    }

    @Override
    public void session(String room, String idHash, @Nullable String value, long ttlMillis) {
        String key = RedisKeys.names(room, "session:" + idHash);
        if (value == null) {
            sync().del(key);
        } else {
            sync().set(key, value, SetArgs.Builder.px(ttlMillis));
        }
    }

    @Override
    public void announce(String line) {
        sync().publish(RedisKeys.MODERATION, line);
    }

    @Override
    public void onAnnouncement(Consumer<String> handler) {
        announcementHandlers.add(handler);
    }
}
