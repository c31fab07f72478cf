package dev.agentchat.hosting;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Where named rooms live: in this process ({@link MemoryRoomStore}, the default) or in Redis, shared
 * by every instance pointed at it ({@code dev.agentchat.hosting.RedisRoomStore}).
 */
public interface RoomStore {
    /** Where room identities come from. */
    SecureRandom RANDOM = new SecureRandom();

    /**
     * The server's own room ({@link RoomName#SERVER}), served at the root paths with the
     * {@code --password} of each instance: in this process, or in Redis, shared like the others.
     */
    HostedRoom serverRoom();

    /** Whether its rooms answer over the network: then requests to them run off the event loop. */
    default boolean remote() {
        return false;
    }

    /** The live room of that name, if any (an expired room is gone). */
    Optional<HostedRoom> find(String name);

    /**
     * Creates the room unless one of that name exists. Throws the cap errors of the catalogue when
     * the server or the creating address has too many rooms.
     */
    Creation create(String name, String passwordHash, String creator);

    /**
     * The room's identity ({@code RoomId} in the API document): the same on every instance serving it,
     * another for a room made afresh. Throws {@code room_not_found} for a room that has ended since.
     */
    String id(HostedRoom room);

    /** A new room's identity: 128 random bits, so that no two rooms anywhere share one. */
    static String newId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** Records activity, which keeps the room alive for another TTL. */
    void touch(HostedRoom room);

    /**
     * Ends the named room now, with everything it holds: its streams and polls on this instance end,
     * and every later lookup finds nothing (nor one that has gone already, or was made afresh since).
     */
    void end(HostedRoom room);

    /** The live named rooms, oldest first (the server's own room is not one of them). */
    List<Listing> list();

    /** A live named room: its name, when it was created and when it expires unless used (epoch millis). */
    record Listing(String name, long createdAt, long expiresAt) {
    }

    /** Ends every stream of every room this instance serves (shutdown): clients see a clean end and resume elsewhere. */
    void closeAll();

    /** The outcome of {@link #create}: the room, and whether this call created it. */
    record Creation(HostedRoom room, boolean created) {
    }
}
