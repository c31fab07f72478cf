package dev.agentchat.coordination;

import dev.agentchat.api.model.ClaimEventAction;
import dev.agentchat.error.ApiError;
import dev.agentchat.redis.RedisKeys;
import dev.agentchat.redis.RedisScript;
import dev.agentchat.redis.SharedRead;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A room's acknowledgements and claims in Redis, the same for every instance on it. An acknowledgement
 * is one Lua script (add the name once, within the caps, forget the oldest acknowledged messages). The
 * claims are one JSON value replaced by compare-and-set: each instance applies {@link ClaimBook} to what
 * it read and writes only if nobody wrote in between, else reads again. Announcements cross instances
 * on the room's coordination channel; each instance hands the ones it receives to its own streams.
 */
public final class RedisCoordination implements Coordination {
    /** Returns {1, names} when added, {0, names} when the name was there, {-1} when the message is full. */
    private static final RedisScript ACK = new RedisScript("""
        local raw = redis.call('HGET', KEYS[1], ARGV[1])
        local names = {}
        if raw then names = cjson.decode(raw) end
        local lower = string.lower(ARGV[2])
        for _, n in ipairs(names) do
          if string.lower(n) == lower then return {0, raw} end
        end
        if #names >= tonumber(ARGV[3]) then return {-1, ''} end
        table.insert(names, ARGV[2])
        local encoded = cjson.encode(names)
        redis.call('HSET', KEYS[1], ARGV[1], encoded)
        redis.call('ZADD', KEYS[2], tonumber(ARGV[1]), ARGV[1])
        while redis.call('ZCARD', KEYS[2]) > tonumber(ARGV[4]) do
          local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
          redis.call('ZREM', KEYS[2], oldest)
          redis.call('HDEL', KEYS[1], oldest)
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return {1, encoded}
        """);
    /** Replaces the claims if they are still ARGV[1] (empty: none); 1 when replaced. */
    private static final RedisScript SWAP_CLAIMS = new RedisScript("""
        local current = redis.call('GET', KEYS[1]) or ''
        if current ~= ARGV[1] then return 0 end
        if ARGV[2] == '[]' then redis.call('DEL', KEYS[1])
        else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        return 1
        """);
    /**
     * Counts a message against the brake: ARGV[1] = 1 for a human (the count goes to 0), else one more
     * agent message unless the count has reached the limit ARGV[2] (above 0): then nothing changes and
     * the answer is {-1, count}. Otherwise {count before, count after}. ARGV[1] = 2 releases (count 0).
     */
    private static final RedisScript TURN = new RedisScript("""
        local turns = tonumber(redis.call('GET', KEYS[1]) or '0')
        local limit = tonumber(ARGV[2])
        if ARGV[1] == '0' and limit > 0 and turns >= limit then return {-1, turns} end
        local after = 0
        if ARGV[1] == '0' then after = turns + 1 end
        if after == 0 then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], after, 'PX', ARGV[3]) end
        return {turns, after}
        """);
    private static final int SWAP_ATTEMPTS = 50;

    private final String room;
    private final Supplier<RedisCommands<String, String>> commands;
    private final CoordinationLimits limits;
    private final EventJson events;
    private final JsonMapper json;
    private final long ttlMillis;
    private final Clock clock;
    private final Sinks.Many<CoordinationEvent> sink = Sinks.many().multicast().directBestEffort();
    /** Announcements received and acknowledgements made here: each may change what {@link #acks} finds. */
    private final AtomicLong changes = new AtomicLong();
    private final SharedRead<List<Long>, Map<Long, List<String>>> ackReads = new SharedRead<>();

    public RedisCoordination(String room, Supplier<RedisCommands<String, String>> commands, CoordinationLimits limits,
                             EventJson events, JsonMapper json, long ttlMillis, Clock clock) {
        this.room = room;
        this.commands = commands;
        this.limits = limits;
        this.events = events;
        this.json = json;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    @Override
    public List<String> ack(long id, String agent) {
        List<Object> result = ACK.run(commands.get(), ScriptOutputType.MULTI,
            new String[]{RedisKeys.acks(room), RedisKeys.acked(room)}, Long.toString(id), agent,
            Integer.toString(limits.acksPerMessage()), Integer.toString(limits.ackedMessages()), Long.toString(ttlMillis));
        long outcome = (Long) result.get(0);
        if (outcome < 0) {
            throw ApiError.TOO_MANY_ACKS.limit(limits.acksPerMessage(), null);
        }
        List<String> names = names((String) result.get(1));
        changes.incrementAndGet();
        if (outcome == 1) {
            publish(events.ack(id, agent, names));
        }
        return names;
    }

    /**
     * The polls one message wakes ask for the acknowledgements of the same messages: they share one
     * read until an announcement arrives (an acknowledgement made on any instance is announced) or one
     * is made here.
     */
    @Override
    public Map<Long, List<String>> acks(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Long> wanted = List.copyOf(ids);
        return ackReads.get(changes.get(), wanted, () -> readAcks(wanted));
    }

    private Map<Long, List<String>> readAcks(List<Long> ids) {
        Map<Long, List<String>> found = new HashMap<>();
        if (commands.get().exists(RedisKeys.acks(room)) == 0) {
            return Map.of();
        }
        String[] fields = ids.stream().map(String::valueOf).toArray(String[]::new);
        commands.get().hmget(RedisKeys.acks(room), fields).forEach(value -> {
            if (value.hasValue()) {
                found.put(Long.parseLong(value.getKey()), names(value.getValue()));
            }
        });
        return Map.copyOf(found);
    }

    @Override
    public ClaimBook.Taken take(ClaimRequest request) {
        ClaimBook.Taken taken = swap(claims -> ClaimBook.take(claims, request, clock.millis(), limits.claims()),
            ClaimBook.Taken::claims);
        publish(events.claim(taken.renewed() ? ClaimEventAction.RENEWED : ClaimEventAction.TAKEN, taken.claim()));
        return taken;
    }

    @Override
    public Claim release(String id, String agent) {
        ClaimBook.Released released = swap(claims -> ClaimBook.release(claims, id, agent, clock.millis()),
            ClaimBook.Released::claims);
        publish(events.claim(ClaimEventAction.RELEASED, released.claim()));
        return released.claim();
    }

    @Override
    public Brake turn(boolean human, int limit) {
        return count(human ? "1" : "0", limit);
    }

    @Override
    public Brake brake(int limit) {
        String turns = commands.get().get(RedisKeys.brake(room));
        return Brake.of(turns == null ? 0 : Integer.parseInt(turns), limit);
    }

    @Override
    public Brake release(int limit) {
        return count("2", limit);
    }

    private Brake count(String what, int limit) {
        List<Long> result = TURN.run(commands.get(), ScriptOutputType.MULTI, new String[]{RedisKeys.brake(room)},
            what, Integer.toString(limit), Long.toString(ttlMillis));
        Brake before = Brake.of(result.get(1).intValue(), limit);
        if (result.get(0) < 0) {
            throw Brakes.refusal(before);
        }
        before = Brake.of(result.get(0).intValue(), limit);
        Brake after = Brake.of(result.get(1).intValue(), limit);
        if (before.engaged() != after.engaged()) {
            publish(events.brake(after));
        }
        return after;
    }

    @Override
    public List<Claim> claims() {
        String stored = commands.get().get(RedisKeys.claims(room));
        return stored == null ? List.of() : ClaimBook.live(events.readClaims(stored), clock.millis());
    }

    /** Applies {@code change} to the stored claims and writes the outcome if nobody wrote meanwhile. */
    private <T> T swap(Function<List<Claim>, T> change, Function<T, List<Claim>> after) {
        for (int attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
            String stored = commands.get().get(RedisKeys.claims(room));
            T outcome = change.apply(stored == null ? List.of() : events.readClaims(stored));
            Long swapped = SWAP_CLAIMS.run(commands.get(), ScriptOutputType.INTEGER, new String[]{RedisKeys.claims(room)},
                stored == null ? "" : stored, events.claims(after.apply(outcome)), Long.toString(ttlMillis));
            if (swapped == 1) {
                return outcome;
            }
        }
        throw ApiError.STORE_UNAVAILABLE.exception("The room's claims are changing too fast, try again");
    }

    @Override
    public Flux<CoordinationEvent> events() {
        return sink.asFlux();
    }

    /** An announcement published on the room's channel, by any instance. */
    public synchronized void received(String message) {
        changes.incrementAndGet();
        sink.tryEmitNext(CoordinationEvent.decode(message));
    }

    private void publish(CoordinationEvent event) {
        commands.get().publish(RedisKeys.coordinationChannel(room), event.encoded());
    }

    private List<String> names(String stored) {
        try {
            return List.of(json.readValue(stored, String[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sink.tryEmitComplete();
    }
}
