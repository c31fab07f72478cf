package dev.agentchat.hosting;

import dev.agentchat.auth.PasswordHash;
import dev.agentchat.coordination.CoordinationLimits;
import dev.agentchat.coordination.EventJson;
import dev.agentchat.coordination.RedisCoordination;
import dev.agentchat.presence.SharedPresence;
import dev.agentchat.redis.RedisConnections;
import dev.agentchat.redis.RedisKeys;
import dev.agentchat.redis.RedisScript;
import dev.agentchat.room.RedisRoom;

import dev.agentchat.presence.Presence;
import dev.agentchat.error.ApiError;
import dev.agentchat.limits.LimitSettings;
import dev.agentchat.room.HistoryBudget;
import dev.agentchat.messages.MessageMapper;
import dev.agentchat.messages.RedisReadCursors;
import dev.agentchat.room.RoomSettings;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named rooms kept in Redis, so every instance on the same Redis serves the same rooms. The room's
 * password hash lives in its hash key; creation and the caps are one Lua script, so two instances
 * cannot both create a room or both take the last place. Each instance keeps a {@link RedisRoom}
 * per room it serves, for the fan-out to its own subscribers.
 */
@Singleton
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisRoomStore implements RoomStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomStore.class);

    private static final RedisScript CREATE = new RedisScript("""
        if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
        local now = tonumber(ARGV[4])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then return 'too_many_rooms' end
        if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[7]) then return 'too_many_from_address' end
        redis.call('HSET', KEYS[1], 'password', ARGV[2], 'creator', ARGV[3], 'created', ARGV[4], 'max-history', ARGV[8])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        local expires = now + tonumber(ARGV[5])
        redis.call('ZADD', KEYS[2], expires, ARGV[1])
        redis.call('ZADD', KEYS[3], expires, ARGV[1])
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        return 'created'
        """);
    /** Keeps a live room alive; its sequence, stream and read cursors may not exist yet. */
    private static final RedisScript TOUCH = new RedisScript("""
        if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then return 0 end
        for i = 2, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
        for i = 5, 6 do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
        redis.call('ZADD', KEYS[4], 'XX', ARGV[2], ARGV[3])
        return 1
        """);

    /**
     * Keeps the server's own room: all its keys live another TTL. Only the instance that finds its hash
     * gone creates it, with its own settings (ARGV[3] max-history, ARGV[4] topic or ''); the others
     * are answered the room's settings, which they adopt.
     */
    private static final RedisScript KEEP = new RedisScript("""
        local created = redis.call('EXISTS', KEYS[1]) == 0
        if created then
          redis.call('HSET', KEYS[1], 'created', ARGV[2], 'max-history', ARGV[3])
          if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'topic', ARGV[4]) end
        end
        for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
        if created then return {'created'} end
        return {'exists', redis.call('HGET', KEYS[1], 'topic') or '', redis.call('HGET', KEYS[1], 'max-history') or ''}
        """);

    /**
     * Ends a room if it is still the one created at ARGV[2]: takes it out of the caps' sets (KEYS[1],
     * the rooms; KEYS[2], its creator's), deletes every key it stores (KEYS[3..], its hash first) and
     * tells every instance (ARGV[3] on the room's channel ARGV[4]).
     */
    private static final RedisScript END = new RedisScript("""
        if redis.call('HGET', KEYS[3], 'created') ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
        redis.call('PUBLISH', ARGV[4], ARGV[3])
        return 1
        """);
    /**
     * The room's identity, made by the first instance that asks (rooms made before identities get one
     * then): nothing when the room (KEYS[1], its hash) is gone, or is no longer the one created at
     * ARGV[2] ('0' for the server's room, which is kept rather than created).
     */
    private static final RedisScript IDENTITY = new RedisScript("""
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        if ARGV[2] ~= '0' and redis.call('HGET', KEYS[1], 'created') ~= ARGV[2] then return false end
        redis.call('HSETNX', KEYS[1], 'id', ARGV[1])
        return redis.call('HGET', KEYS[1], 'id')
        """);
    /** What an ended room's channel carries, before the room's creation time (a message starts with its id). */
    private static final String ENDED = "ended\n";

    private static final Duration PRESENCE_REFRESH = Duration.ofSeconds(10);

    private final RedisConnections redis;
    private final RoomSettings roomSettings;
    private final RoomsSettings settings;
    private final MessageMapper mapper;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    /** This instance's name in the rooms' presence hashes. */
    private final String instance = UUID.randomUUID().toString();
    /** Each instance's own {@code --password} opens the server's room (every instance must be given the same). */
    private final String serverPasswordHash;
    private final long maxHistoryBytes;
    private final int agentsPerRoom;
    private final CoordinationLimits coordinationLimits;
    private final EventJson eventJson;
    /** Whether this instance has created or adopted the server room's settings yet. */
    private volatile boolean serverRoomSettled;

    /** This instance's view of a room, and when it last extended the room's life. */
    private static final class Local {
        final HostedRoom hosted;
        final RedisRoom room;
        final SharedPresence presence;
        final RedisCoordination coordination;
        volatile long lastTouch;

        Local(HostedRoom hosted, RedisRoom room, SharedPresence presence, RedisCoordination coordination, long now) {
            this.hosted = hosted;
            this.room = room;
            this.presence = presence;
            this.coordination = coordination;
            this.lastTouch = now;
        }
    }

    public RedisRoomStore(RedisConnections redis, RoomSettings roomSettings, RoomsSettings settings,
                          MessageMapper mapper, JsonMapper json, HistoryBudget budget, LimitSettings limits,
                          EventJson eventJson) {
        this.redis = redis;
        this.roomSettings = roomSettings;
        this.settings = settings;
        this.mapper = mapper;
        this.json = json;
        // in Redis the per-room budget bounds each room (and what a replay loads into this heap);
        // all rooms together are bounded by max-rooms and by Redis's own maxmemory
        this.maxHistoryBytes = budget.perRoom();
        this.agentsPerRoom = limits.agentsPerRoom();
        this.coordinationLimits = CoordinationLimits.of(limits);
        this.eventJson = eventJson;
        this.serverPasswordHash = PasswordHash.ofServerPassword(roomSettings.password());
        redis.onMessage(this::published);
        redis.onSubscriptionLost(this::subscriptionLost);
        redis.every(PRESENCE_REFRESH, this::refreshPresence);
        redis.every(settings.sweep(), this::forgetExpired);
        redis.every(keepPeriod(settings), this::keepServerRoom);
        try {
            keepServerRoom(); // now, so that a room this instance joins is said at its start
        } catch (RedisException e) {
            LOG.debug("The server room is created or joined once Redis is reachable", e);
        }
    }

    @Override
    public Optional<HostedRoom> find(String name) {
        Map<String, String> meta = redis.sync().hgetall(RedisKeys.meta(name));
        if (meta == null || meta.isEmpty() || meta.get("password") == null) {
            forget(name);
            return Optional.empty();
        }
        long created = Long.parseLong(meta.getOrDefault("created", "0"));
        Local known = local.get(name);
        if (known != null && known.hosted.createdAt() == created) {
            return Optional.of(known.hosted);
        }
        return Optional.of(local.compute(name, (n, existing) -> {
            if (existing != null && existing.hosted.createdAt() == created) {
                return existing;
            }
            if (existing != null) {
                endHere(existing);
            }
            return serve(name, meta.get("password"), created, false);
        }).hosted);
    }

    /** Served like a named room, under a name none can have; its keys live as long as an instance runs. */
    @Override
    public HostedRoom serverRoom() {
        return local.computeIfAbsent(RoomName.SERVER, n -> serve(n, serverPasswordHash, 0, true)).hosted;
    }

    @Override
    public boolean remote() {
        return true;
    }

    private Local serve(String name, String passwordHash, long created, boolean revive) {
        RedisRoom room = new RedisRoom(name, redis::sync, revive, json, mapper::json, mapper::jsonWithoutId,
            roomSettings.maxHistory(), maxHistoryBytes, settings.ttl().toMillis(), clock);
        Presence presence = new Presence(agentsPerRoom);
        SharedPresence shared = new SharedPresence(name, created, instance, presence, redis, json,
            settings.ttl().toMillis(), clock);
        presence.onRoster(shared::list);
        RedisCoordination coordination = new RedisCoordination(name, redis::sync, coordinationLimits, eventJson, json,
            settings.ttl().toMillis(), clock);
        RedisReadCursors cursors = new RedisReadCursors(name, redis::sync, redis::async, settings.ttl().toMillis());
        return new Local(new HostedRoom(name, passwordHash, created, room, presence, cursors, coordination),
            room, shared, coordination, clock.millis());
    }

    /** How often the server room's life is extended: every sweep, or every third of a TTL when that is shorter. */
    private static Duration keepPeriod(RoomsSettings settings) {
        Duration third = settings.ttl().dividedBy(3);
        Duration period = settings.sweep().compareTo(third) < 0 ? settings.sweep() : third;
        return period.isZero() ? Duration.ofMillis(1) : period;
    }

    /**
     * Extends the life of the server's own room while this instance runs, so it expires only after
     * the last one stops; creates it if it is gone, else says once which of this instance's settings
     * the room it joins does not take.
     */
    void keepServerRoom() {
        String name = RoomName.SERVER;
        String topic = roomSettings.topic() == null ? "" : roomSettings.topic();
        List<String> kept = KEEP.run(redis.sync(), ScriptOutputType.MULTI,
            new String[]{RedisKeys.meta(name), RedisKeys.sequence(name), RedisKeys.log(name),
                RedisKeys.cursors(name), RedisKeys.receipts(name)},
            Long.toString(settings.ttl().toMillis()), Long.toString(clock.millis()),
            Integer.toString(roomSettings.maxHistory()), topic);
        if (!serverRoomSettled) {
            serverRoomSettled = true;
            if (kept.get(0).equals("exists")) {
                SharedRoomSettings.ignored(roomSettings, kept.get(1), kept.get(2)).ifPresent(LOG::warn);
            }
        }
    }

    @Override
    public Creation create(String name, String passwordHash, String creator) {
        long now = clock.millis();
        String outcome = CREATE.run(redis.sync(), ScriptOutputType.STATUS,
            new String[]{RedisKeys.meta(name), RedisKeys.ROOMS, RedisKeys.creator(creator)},
            name, passwordHash, creator, Long.toString(now), Long.toString(settings.ttl().toMillis()),
            Integer.toString(settings.maxRooms()), Integer.toString(settings.maxPerAddress()),
            Integer.toString(roomSettings.maxHistory()));
        switch (outcome) {
            case "too_many_rooms" -> throw ApiError.TOO_MANY_ROOMS.limit(settings.maxRooms(), null);
            case "too_many_from_address" -> throw ApiError.TOO_MANY_ROOMS_FROM_ADDRESS.limit(settings.maxPerAddress(), null);
            default -> {
                HostedRoom room = find(name).orElseThrow(ApiError.ROOM_NOT_FOUND::exception);
                return new Creation(room, "created".equals(outcome));
            }
        }
    }

    @Override
    public String id(HostedRoom room) {
        String id = IDENTITY.run(redis.sync(), ScriptOutputType.VALUE, new String[]{RedisKeys.meta(room.name())},
            RoomStore.newId(), Long.toString(room.createdAt()));
        if (id == null) {
            throw ApiError.ROOM_NOT_FOUND.exception();
        }
        return id;
    }

    @Override
    public void end(HostedRoom room) {
        String name = room.name();
        String creator = redis.sync().hget(RedisKeys.meta(name), "creator");
        List<String> keys = new ArrayList<>(List.of(RedisKeys.ROOMS, RedisKeys.creator(creator == null ? "" : creator)));
        keys.addAll(RedisKeys.stored(name));
        END.run(redis.sync(), ScriptOutputType.INTEGER, keys.toArray(String[]::new), name, Long.toString(room.createdAt()),
            ENDED + room.createdAt(), RedisKeys.channel(name));
        Local known = local.get(name);
        if (known != null && known.hosted == room && local.remove(name, known)) {
            endHere(known);
        }
    }

    /** From the rooms' sorted set, each with its creation time from its hash (a room gone meanwhile is left out). */
    @Override
    public List<Listing> list() {
        List<ScoredValue<String>> live = redis.sync().zrangebyscoreWithScores(RedisKeys.ROOMS,
            Range.create((double) clock.millis(), Double.POSITIVE_INFINITY));
        List<Listing> rooms = new ArrayList<>();
        for (ScoredValue<String> room : live) {
            String created = redis.sync().hget(RedisKeys.meta(room.getValue()), "created");
            if (created != null) {
                rooms.add(new Listing(room.getValue(), Long.parseLong(created), (long) room.getScore()));
            }
        }
        rooms.sort(Comparator.comparingLong(Listing::createdAt).thenComparing(Listing::name));
        return rooms;
    }

    /** Extends the room's life at most a few times per TTL, not on every request. */
    @Override
    public void touch(HostedRoom room) {
        Local known = local.get(room.name());
        long now = clock.millis();
        long ttl = settings.ttl().toMillis();
        if (known == null || now - known.lastTouch < Math.min(ttl / 10, 10_000)) {
            return;
        }
        known.lastTouch = now;
        String name = room.name();
        TOUCH.run(redis.sync(), ScriptOutputType.INTEGER,
            new String[]{RedisKeys.meta(name), RedisKeys.sequence(name), RedisKeys.log(name), RedisKeys.ROOMS,
                RedisKeys.cursors(name), RedisKeys.receipts(name)},
            Long.toString(ttl), Long.toString(now + ttl), name);
    }

    /** Keeps this instance's presence snapshots fresh while someone is online through it, and its view of the others'. */
    void refreshPresence() {
        local.values().stream().filter(l -> l.presence.anyoneOnline()).forEach(l -> l.presence.publish());
        local.values().stream().filter(l -> l.presence.tracksAnyone()).forEach(l -> l.presence.reconcile());
    }

    /**
     * Extends the life of the rooms streams and waiting polls follow through this instance (each is
     * activity, though it makes no request), and lets go of rooms whose keys expired in Redis, ending
     * their streams on this instance.
     */
    void forgetExpired() {
        for (String name : List.copyOf(local.keySet())) {
            Local known = local.get(name);
            if (known == null || name.equals(RoomName.SERVER)) {
                continue;
            }
            if (known.room.lastFollowed() > known.lastTouch) {
                touch(known.hosted);
            }
            if (redis.sync().exists(RedisKeys.meta(name)) == 0) {
                forget(name);
            }
        }
    }

    private void published(String channel, String message) {
        String name = RedisKeys.roomOfChannel(channel, RedisKeys.MESSAGES);
        Local known = name == null ? null : local.get(name);
        if (known != null) {
            if (message.startsWith(ENDED)) {
                // ended by the host through any instance: its streams and polls here end now, not at the next sweep
                if (message.equals(ENDED + known.hosted.createdAt()) && local.remove(name, known)) {
                    endHere(known);
                }
                return;
            }
            try {
                known.room.deliver(message);
            } catch (RuntimeException e) {
                LOG.warn("Dropped an unreadable message published on {}", channel, e);
            }
            return;
        }
        name = RedisKeys.roomOfChannel(channel, RedisKeys.PRESENCE_EVENTS);
        known = name == null ? null : local.get(name);
        if (known != null) {
            known.presence.received(message);
            return;
        }
        name = RedisKeys.roomOfChannel(channel, RedisKeys.COORDINATION_EVENTS);
        known = name == null ? null : local.get(name);
        if (known != null) {
            try {
                known.coordination.received(message);
            } catch (RuntimeException e) {
                LOG.warn("Dropped an unreadable announcement published on {}", channel, e);
            }
        }
    }

    /** Messages published while the subscription is down would be missed: end the streams, clients resume by id. */
    private void subscriptionLost() {
        local.values().forEach(l -> l.room.close());
    }

    private void forget(String name) {
        Local gone = local.remove(name);
        if (gone != null) {
            endHere(gone);
        }
    }

    /** Ends this instance's view of a room that is gone: its streams and polls here end. */
    private static void endHere(Local gone) {
        gone.presence.close(); // first: the streams the end closes must not write the ended room's presence again
        gone.room.end();
        gone.coordination.close();
    }

    @Override
    @PreDestroy
    public void closeAll() {
        local.values().forEach(l -> l.room.close());
    }

    /** For tests and diagnostics: the rooms this instance currently serves. */
    List<String> served() {
        return List.copyOf(local.keySet());
    }
}
