package dev.agentchat.room.redis;

import dev.agentchat.agents.AgentView;
import dev.agentchat.agents.Presence;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 */
final class SharedPresence {
    static final long STALE_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(SharedPresence.class);

    private final String key;
    private final String instance;
    private final Presence local;
    private final RedisConnections redis;
    private final JsonMapper json;
    private final long ttlMillis;
    private final Clock clock;

    /** One instance's view, as stored in the hash. */
    @Serdeable
    record Snapshot(long at, List<Entry> agents) {
    }

    /** One agent in a snapshot; {@code lastSeen} in epoch millis. */
    @Serdeable
    record Entry(String name, boolean online, long lastSeen, int connections) {
    }

    SharedPresence(String room, String instance, Presence local, RedisConnections redis, JsonMapper json,
                   long ttlMillis, Clock clock) {
        this.key = RedisKeys.presence(room);
        this.instance = instance;
        this.local = local;
        this.redis = redis;
        this.json = json;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
        local.onChange(this::publish);
    }

    /** Writes this instance's snapshot, without waiting: presence must never hold up a request. */
    void publish() {
        try {
            List<Entry> entries = local.list().stream()
                .map(v -> new Entry(v.name(), v.online(), v.lastSeen().toEpochMilli(), v.connections()))
                .toList();
            String snapshot = json.writeValueAsString(new Snapshot(clock.millis(), entries));
            redis.async().hset(key, instance, snapshot);
            redis.async().pexpire(key, ttlMillis);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Presence of {} not shared", key, e);
        }
    }

    /** Whether anyone is online through this instance (its snapshot then needs refreshing). */
    boolean anyoneOnline() {
        return local.list().stream().anyMatch(AgentView::online);
    }

    /** Everyone in the room, through any instance. */
    List<AgentView> list() {
        Map<String, AgentView> merged = new TreeMap<>();
        long now = clock.millis();
        for (Map.Entry<String, String> field : redis.sync().hgetall(key).entrySet()) {
            if (field.getKey().equals(instance)) {
                continue;
            }
            Snapshot snapshot = decode(field.getValue());
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

    private Snapshot decode(String value) {
        try {
            return json.readValue(value, Snapshot.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
