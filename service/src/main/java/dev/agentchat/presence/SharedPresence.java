package dev.agentchat.presence;

import dev.agentchat.redis.RedisConnections;
import dev.agentchat.redis.RedisKeys;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A room's presence across instances. Each instance tracks its own streams and polls in a
 * {@link Presence} and writes a snapshot of it into one field of the room's presence hash whenever it
 * changes (and every few seconds while someone is online); listing merges the fields. The snapshot of
 * an instance that stopped writing goes stale: its agents then count as offline, so a crashed
 * instance does not keep anyone online.
 *
 * <p>Joined and left events are cluster-wide: each instance publishes its own on the room's presence
 * channel, and every instance keeps, per agent, the instances it is online through. An agent is
 * announced {@code joined} when the first instance has it and {@code left} when the last one lets it go,
 * so a presence stream sees each once, whichever instance the agent and the stream are on. An instance
 * that stops without saying so is forgotten once its snapshot shows the agent gone, or goes stale; an
 * agent then online through no instance is announced {@code left} by each instance to its own streams.
 */
public final class SharedPresence {
    public static final long STALE_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(SharedPresence.class);

    private final String key;
    private final String instance;
    private final Presence local;
    private final RedisConnections redis;
    private final JsonMapper json;
    private final long ttlMillis;
    private final Clock clock;

    /** One instance's view, as stored in the hash; {@code room} the room's creation time (which incarnation of its name). */
    @Serdeable
    record Snapshot(long at, long room, List<Entry> agents) {
    }

    /** One agent in a snapshot; {@code lastSeen} in epoch millis. */
    @Serdeable
    record Entry(String name, boolean online, long lastSeen, int connections) {
    }

    /** A joined or left on one instance, as published on the room's presence channel; {@code at} its clock, {@code room} as in a snapshot. */
    @Serdeable
    record Transition(String instance, String agent, String state, long at, long room) {
    }

    /** Per agent (lower case): the instances it is online through, with the time each said so. */
    private final Map<String, Online> onlineThrough = new HashMap<>();

    /** An agent online somewhere: its name as it was announced, and the instances it is online through. */
    private record Online(String name, Map<String, Long> through) {
    }
    private final String channel;
    /**
     * The room's creation time. A named room ended and created again under the same name shares its keys
     * with the one before; what an instance of the ended one still writes or publishes (its streams
     * closing) is told apart by it, so nobody from the ended room shows in the new one.
     */
    private final long createdAt;
    private volatile boolean closed;

    public SharedPresence(String room, long createdAt, String instance, Presence local, RedisConnections redis,
                          JsonMapper json, long ttlMillis, Clock clock) {
        this.createdAt = createdAt;
        this.key = RedisKeys.presence(room);
        this.channel = RedisKeys.presenceChannel(room);
        this.instance = instance;
        this.local = local;
        this.redis = redis;
        this.json = json;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
        local.onChange(this::publish);
        local.onTransition(change -> transition(new Transition(instance, change.agent(), change.state(), clock.millis(),
            createdAt)));
    }

    /** A joined or left published by any instance (this one's own come back too, and are skipped). */
    public void received(String message) {
        Transition remote;
        try {
            remote = json.readValue(message, Transition.class);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Unreadable presence event on {}", channel, e);
            return;
        }
        if (remote != null && remote.agent() != null && remote.room() == createdAt && !instance.equals(remote.instance())) {
            transition(remote);
        }
    }

    /** Records the transition and announces it here if it changed whether the agent is online anywhere. */
    private void transition(Transition change) {
        boolean joined = PresenceChange.JOINED.equals(change.state());
        boolean announce;
        synchronized (onlineThrough) {
            String agent = change.agent().toLowerCase(Locale.ROOT);
            Map<String, Long> through = onlineThrough.computeIfAbsent(agent, k -> new Online(change.agent(), new HashMap<>()))
                .through();
            boolean before = !through.isEmpty();
            if (joined) {
                through.put(change.instance(), change.at());
            } else {
                through.remove(change.instance());
            }
            announce = before != !through.isEmpty();
            if (through.isEmpty()) {
                onlineThrough.remove(agent);
            }
        }
        if (announce) {
            local.announce(new PresenceChange(change.agent(), change.state()));
        }
        if (change.instance().equals(instance)) {
            shareTransition(change);
        }
    }

    private void shareTransition(Transition change) {
        if (closed) {
            return;
        }
        try {
            redis.async().publish(channel, json.writeValueAsString(change));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Presence event of {} not shared", key, e);
        }
    }

    /**
     * Forgets the instances an agent no longer counts as online through without a {@code left} having
     * said so: a poller whose grace ran out, an instance that stopped without a word. An agent online
     * through none of them any more is announced {@code left} here (every instance does so for its own
     * streams, as each announced its {@code joined}).
     */
    public void reconcile() {
        synchronized (onlineThrough) {
            if (onlineThrough.isEmpty()) {
                return;
            }
        }
        Map<String, Snapshot> snapshots = new HashMap<>();
        redis.sync().hgetall(key).forEach((field, value) -> snapshots.put(field, ofThisRoom(decode(value))));
        long now = clock.millis();
        List<String> left = new ArrayList<>();
        synchronized (onlineThrough) {
            onlineThrough.entrySet().removeIf(agent -> {
                Online online = agent.getValue();
                online.through().entrySet().removeIf(through -> through.getKey().equals(instance)
                    ? !local.isOnline(agent.getKey())
                    : gone(snapshots.get(through.getKey()), agent.getKey(), through.getValue(), now));
                if (!online.through().isEmpty()) {
                    return false;
                }
                left.add(online.name());
                return true;
            });
        }
        left.forEach(agent -> local.announce(new PresenceChange(agent, PresenceChange.LEFT)));
    }

    /** Whether the instance's snapshot, newer than its joined, no longer has the agent online (or went stale). */
    private static boolean gone(Snapshot snapshot, String agent, long joinedAt, long now) {
        if (snapshot == null) {
            return now - joinedAt > STALE_MILLIS;
        }
        if (now - snapshot.at() > STALE_MILLIS) {
            return true;
        }
        return snapshot.at() >= joinedAt && snapshot.agents().stream()
            .noneMatch(e -> e.online() && e.name().equalsIgnoreCase(agent));
    }

    /** Whether any instance has announced someone online and not yet gone (then {@link #reconcile} has work). */
    public boolean tracksAnyone() {
        synchronized (onlineThrough) {
            return !onlineThrough.isEmpty();
        }
    }

    /** Writes this instance's snapshot, without waiting: presence must never hold up a request. */
    public void publish() {
        if (closed) {
            return;
        }
        try {
            List<Entry> entries = local.list().stream()
                .map(v -> new Entry(v.name(), v.online(), v.lastSeen().toEpochMilli(), v.connections()))
                .toList();
            String snapshot = json.writeValueAsString(new Snapshot(clock.millis(), createdAt, entries));
            redis.async().hset(key, instance, snapshot);
            redis.async().pexpire(key, ttlMillis);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Presence of {} not shared", key, e);
        }
    }

    /** Whether anyone is online through this instance (its snapshot then needs refreshing). */
    public boolean anyoneOnline() {
        return local.list().stream().anyMatch(AgentView::online);
    }

    /** Everyone in the room, through any instance. */
    public List<AgentView> list() {
        Map<String, AgentView> merged = new TreeMap<>();
        long now = clock.millis();
        for (Map.Entry<String, String> field : redis.sync().hgetall(key).entrySet()) {
            if (field.getKey().equals(instance)) {
                continue;
            }
            Snapshot snapshot = ofThisRoom(decode(field.getValue()));
            boolean stale = snapshot == null || now - snapshot.at() > STALE_MILLIS;
            for (Entry e : snapshot == null ? List.<Entry>of() : snapshot.agents()) {
                merge(merged, new AgentView(e.name(), e.online() && !stale, Instant.ofEpochMilli(e.lastSeen()),
                    stale ? 0 : e.connections()));
            }
        }
        local.list().forEach(view -> merge(merged, view));
        List<AgentView> all = new ArrayList<>(merged.values());
        all.sort(Comparator.comparing(AgentView::name, String.CASE_INSENSITIVE_ORDER));
        return all;
    }

    private static void merge(Map<String, AgentView> merged, AgentView view) {
        merged.merge(view.name().toLowerCase(Locale.ROOT), view, (a, b) -> new AgentView(a.name(),
            a.online() || b.online(), a.lastSeen().isAfter(b.lastSeen()) ? a.lastSeen() : b.lastSeen(),
            a.connections() + b.connections()));
    }

    /** The room ended: this instance writes and publishes nothing more for it. */
    public void close() {
        closed = true;
    }

    /** The snapshot if it is of this room, not of an ended one of the same name; else null. */
    private Snapshot ofThisRoom(Snapshot snapshot) {
        return snapshot != null && snapshot.room() == createdAt ? snapshot : null;
    }

    private Snapshot decode(String value) {
        try {
            return json.readValue(value, Snapshot.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
