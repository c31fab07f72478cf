package dev.agentchat.names;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The names of this process's rooms, in memory; the default when no Redis is configured. Each
 * entry carries its expiry and is dropped when found expired; {@link #sweep()} drops the rest.
 */
@Singleton
public class MemoryNameStore implements NameStore {
    /** Drops what expired every minute. */
    @io.micronaut.scheduling.annotation.Scheduled(fixedDelay = "1m", initialDelay = "1m")
    void sweepScheduled() {
        sweep();
    }

    /** The most browser sessions this process keeps: beyond it, the one unused longest ends. */
    static final int MAX_SESSIONS = 20_000;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Expiring<Claim>> claims = new ConcurrentHashMap<>();
    private final Map<String, Expiring<String>> tokens = new ConcurrentHashMap<>();
    private final Map<String, Expiring<String>> ended = new ConcurrentHashMap<>();
    private final Map<String, Expiring<Boolean>> blocks = new ConcurrentHashMap<>();
    private final Map<String, Expiring<Boolean>> mutes = new ConcurrentHashMap<>();
    private final Map<String, Expiring<String>> moderated = new ConcurrentHashMap<>();
    private final Map<String, Expiring<String>> observers = new ConcurrentHashMap<>();
    private final Map<String, Expiring<String>> sessions = new ConcurrentHashMap<>();
    private final List<Consumer<String>> announcementHandlers = new CopyOnWriteArrayList<>();

    private record Expiring<T>(T value, long until) {
    }

    private static String id(String room, String key) {
        return room + '\n' + key;
    }

    @Nullable
    private <T> T live(Map<String, Expiring<T>> map, String id) {
        Expiring<T> entry = map.get(id);
        if (entry == null) {
            return null;
        }
        if (entry.until() <= clock.millis()) {
            map.remove(id, entry);
            return null;
        }
        return entry.value();
    }

    @Override
    public Claim claimOf(String room, String key) {
        return live(claims, id(room, key));
    }

    @Override
    public Claim byToken(String room, String tokenHash) {
        String key = live(tokens, id(room, tokenHash));
        if (key == null) {
            return null;
        }
        Claim claim = claimOf(room, key);
        return claim != null && claim.tokenHash().equals(tokenHash) ? claim : null;
    }

    @Override
    public synchronized boolean claim(String room, String key, Claim claim, long ttlMillis) {
        if (claimOf(room, key) != null) {
            return false;
        }
        long until = clock.millis() + ttlMillis;
        claims.put(id(room, key), new Expiring<>(claim, until));
        tokens.put(id(room, claim.tokenHash()), new Expiring<>(key, until));
        return true;
    }

    @Override
    public void touch(String room, String key, Claim claim, long ttlMillis) {
        long until = clock.millis() + ttlMillis;
        claims.computeIfPresent(id(room, key), (id, old) -> old.value().tokenHash().equals(claim.tokenHash())
            ? new Expiring<>(claim, until) : old);
        tokens.computeIfPresent(id(room, claim.tokenHash()), (id, old) -> new Expiring<>(old.value(), until));
    }

    @Override
    public synchronized void end(String room, String key, Claim claim, String reason, long rememberMillis) {
        claims.computeIfPresent(id(room, key), (id, old) -> old.value().tokenHash().equals(claim.tokenHash()) ? null : old);
        tokens.remove(id(room, claim.tokenHash()));
        ended.put(id(room, claim.tokenHash()), new Expiring<>(reason, clock.millis() + rememberMillis));
    }

    @Override
    public String ended(String room, String tokenHash) {
        return live(ended, id(room, tokenHash));
    }

    @Override
    public List<Claim> claims(String room) {
        String prefix = room + '\n';
        List<Claim> found = new ArrayList<>();
        long now = clock.millis();
        claims.forEach((id, entry) -> {
            if (id.startsWith(prefix) && entry.until() > now) {
                found.add(entry.value());
            }
        });
        return found;
    }

    @Override
    public long blockedUntil(String room, String key) {
        Expiring<Boolean> entry = blocks.get(id(room, key));
        return entry == null || live(blocks, id(room, key)) == null ? 0 : entry.until();
    }

    @Override
    public Map<String, Long> blockedUntil(String room, Collection<String> keys) {
        Map<String, Long> blocked = new HashMap<>();
        for (String key : keys) {
            long until = blockedUntil(room, key);
            if (until > 0) {
                blocked.put(key, until);
            }
        }
        return blocked;
    }

    @Override
    public void block(String room, String key, long untilMillis) {
        blocks.put(id(room, key), new Expiring<>(true, untilMillis));
    }

    @Override
    public void moderated(String room, String key, String name, long ttlMillis) {
        long until = clock.millis() + ttlMillis;
        moderated.merge(id(room, key), new Expiring<>(name, until),
            (old, now) -> new Expiring<>(name, Math.max(old.until(), now.until())));
    }

    @Override
    public Map<String, String> moderated(String room) {
        String prefix = room + '\n';
        Map<String, String> found = new HashMap<>();
        long now = clock.millis();
        moderated.forEach((id, entry) -> {
            if (id.startsWith(prefix) && entry.until() > now) {
                found.put(id.substring(prefix.length()), entry.value());
            }
        });
        return found;
    }

    @Override
    public Set<String> muted(String room, Collection<String> keys) {
        Set<String> muted = new HashSet<>();
        for (String key : keys) {
            if (live(mutes, id(room, key)) != null) {
                muted.add(key);
            }
        }
        return muted;
    }

    @Override
    public void mute(String room, String key, boolean muted, long ttlMillis) {
        if (muted) {
            mutes.put(id(room, key), new Expiring<>(true, clock.millis() + ttlMillis));
        } else {
            mutes.remove(id(room, key));
        }
    }

    @Override
    public String observerHash(String room) {
        return live(observers, room);
    }

    @Override
    public void observer(String room, String passwordHash, long ttlMillis) {
        observers.put(room, new Expiring<>(passwordHash, clock.millis() + ttlMillis));
    }

    @Override
    public String session(String room, String idHash) {
        return live(sessions, id(room, idHash));
    }

    @Override
    public void session(String room, String idHash, String value, long ttlMillis) {
        if (value == null) {
            sessions.remove(id(room, idHash));
            return;
        }
        if (sessions.size() >= MAX_SESSIONS && !sessions.containsKey(id(room, idHash))) {
            // the session unused longest (each use renews it) gives way, so a flood of new sessions cannot
            // lock browsers out; an expired one, when there is any, is that one
            sessions.entrySet().stream().min(java.util.Comparator.comparingLong(entry -> entry.getValue().until()))
                .ifPresent(oldest -> sessions.remove(oldest.getKey(), oldest.getValue()));
        }
        sessions.put(id(room, idHash), new Expiring<>(value, clock.millis() + ttlMillis));
    }

    @Override
    public void announce(String line) {
        announcementHandlers.forEach(handler -> handler.accept(line));
    }

    @Override
    public void onAnnouncement(Consumer<String> handler) {
        announcementHandlers.add(handler);
    }

    /** Drops every expired entry (rooms that went away leave theirs behind until they expire). */
    public void sweep() {
        long now = clock.millis();
        for (Map<String, ? extends Expiring<?>> map : List.of(claims, tokens, ended, blocks, mutes, moderated, observers, sessions)) {
            map.values().removeIf(entry -> entry.until() <= now);
        }
    }
}
