package dev.agentchat.names;

import io.micronaut.core.annotation.Nullable;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where the claims, ended tokens, blocks and mutes of every room are kept: in this process
 * ({@link MemoryNameStore}) or in Redis, shared by every instance ({@link RedisNameStore}). {@code room}
 * is a room's identity ({@link Names#roomKey}); {@code key} a name folded to lower case. Decisions are
 * made in {@link Names}; a store only keeps what it is told, each state expiring on its own.
 */
public interface NameStore {

    @Nullable
    Claim claimOf(String room, String key);

    @Nullable
    Claim byToken(String room, String tokenHash);

    /** Stores the claim unless the name is claimed; false when it is. {@code ttlMillis}: when the store may forget it. */
    boolean claim(String room, String key, Claim claim, long ttlMillis);

    /** Records that the claim was used now. */
    void touch(String room, String key, Claim claim, long ttlMillis);

    /**
     * Ends the claim; its token answers {@code reason} for a while ({@link Names#EXPIRED} or
     * {@link Names#REVOKED}, a newline and the name's key).
     */
    void end(String room, String key, Claim claim, String reason, long rememberMillis);

    /** Why a token ended, or null when it is not remembered. */
    @Nullable
    String ended(String room, String tokenHash);

    /** Every claim of the room (possibly idle ones the caller then ends). */
    List<Claim> claims(String room);

    /** Until when (epoch millis) the name is blocked, or 0. */
    long blockedUntil(String room, String key);

    /** Until when (epoch millis) each of the blocked keys among {@code keys} is blocked: one read for all of them. */
    Map<String, Long> blockedUntil(String room, Collection<String> keys);

    void block(String room, String key, long untilMillis);

    /**
     * Remembers the name the host kicked or muted, as it was given, for at least {@code ttlMillis}: the
     * room lists it while it is blocked or muted, whether or not it ever spoke or listened.
     */
    void moderated(String room, String key, String name, long ttlMillis);

    /** The names the host kicked or muted, by key, as given (some may be neither blocked nor muted by now). */
    Map<String, String> moderated(String room);

    /** The keys among {@code keys} that are muted: one read for all of them. */
    Set<String> muted(String room, Collection<String> keys);

    void mute(String room, String key, boolean muted, long ttlMillis);

    /** The hash of the room's own observer password, or null. */
    @Nullable
    String observerHash(String room);

    void observer(String room, String passwordHash, long ttlMillis);

    /** What a browser session stands for ({@link Names#openSession}), or null. */
    @Nullable
    String session(String room, String idHash);

    /** Stores (or with a null value, ends) a browser session. */
    void session(String room, String idHash, @Nullable String value, long ttlMillis);

    /** Tells every instance what the host did to a name, or that a name was claimed (one line, written and read by {@link Names}). */
    void announce(String line);

    /** Calls {@code handler} with every announcement made on any instance, this one's included. */
    void onAnnouncement(Consumer<String> handler);
}
