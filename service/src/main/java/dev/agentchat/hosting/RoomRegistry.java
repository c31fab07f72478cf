package dev.agentchat.hosting;

import dev.agentchat.auth.PasswordHash;
import dev.agentchat.error.ApiError;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens rooms for requests, the server's own room and named rooms alike: checks the name, finds the
 * room in the {@link RoomStore}, checks the password against its hash and records the activity. A
 * verdict is remembered for a short while per (room, password digest), so the slow hash of a named
 * room's password is not computed on every request of a client.
 */
@Singleton
public class RoomRegistry {
    private static final int MAX_PASSWORD = 256;
    private static final int MAX_CACHED = 10_000;

    private final RoomStore store;
    private final RoomsSettings settings;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    /** Cache keys hold a keyed digest of the password, never the password or a plain hash of it. */
    private final SecretKeySpec cacheKey;

    private record Verdict(boolean matches, long until) {
    }

    public RoomRegistry(RoomStore store, RoomsSettings settings) {
        this.store = store;
        this.settings = settings;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * {@code PUT /rooms/{room}}: creates the room with this password, or checks it against the existing
     * one. Creating needs the host ({@code host}) unless the server's rooms are open.
     */
    public RoomStore.Creation createOrConfirm(String name, @Nullable String password, String creator, boolean host) {
        RoomName.require(name);
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
            throw ApiError.ROOM_PASSWORD_REQUIRED.exception();
        }
        HostedRoom existing = store.find(name).orElse(null);
        if (existing == null) {
            if (!settings.enabled()) {
                throw ApiError.ROOMS_DISABLED.exception();
            }
            if (!host && !settings.open()) {
                throw ApiError.HOST_ONLY.exception();
            }
            RoomStore.Creation creation = store.create(name, PasswordHash.hash(password, settings.hashIterations()), creator);
            if (creation.created()) {
                return creation;
            }
            existing = creation.room();
        }
        check(existing, password);
        store.touch(existing);
        return new RoomStore.Creation(existing, false);
    }

    /**
     * The room for a request to its base URL ({@link RoomName#SERVER} for the root paths): 400, 404
     * or 401 when it may not be used. May compute a slow hash or ask Redis: call it off the event loop
     * unless {@link #openQuickly} answered.
     */
    public HostedRoom open(String name, @Nullable String password) {
        HostedRoom room = find(name);
        if (password == null) {
            throw ApiError.INVALID_PASSWORD.exception();
        }
        check(room, password, true);
        store.touch(room);
        return room;
    }

    /**
     * The room for a request whose credentials were checked another way (the host key): 400 or 404
     * when it may not be used. May ask Redis: call it off the event loop.
     */
    public HostedRoom openTrusted(String name) {
        HostedRoom room = find(name);
        store.touch(room);
        return room;
    }

    /** Whether the room exists (the server's own room always does). May ask Redis. */
    public boolean exists(String name) {
        return RoomName.SERVER.equals(name) || store.find(name).isPresent();
    }

    /**
     * The room, when opening it needs neither the network nor a slow hash (rooms in memory, a
     * password checked recently); null when only {@link #open} can tell. Throws as {@link #open} does.
     */
    @Nullable
    public HostedRoom openQuickly(String name, @Nullable String password) {
        if (store.remote() || password == null) {
            return null;
        }
        HostedRoom room = find(name);
        if (!check(room, password, false)) {
            return null;
        }
        store.touch(room);
        return room;
    }

    private HostedRoom find(String name) {
        if (RoomName.SERVER.equals(name)) {
            return store.serverRoom();
        }
        RoomName.require(name);
        return store.find(name).orElseThrow(ApiError.ROOM_NOT_FOUND::exception);
    }

    private void check(HostedRoom room, String password) {
        check(room, password, true);
    }

    /** Throws when the password is wrong; false when the verdict is not known and {@code compute} is false. */
    private boolean check(HostedRoom room, String password, boolean compute) {
        String key = room.name() + '\n' + room.createdAt() + '\n' + digest(password);
        long now = System.nanoTime();
        Verdict verdict = verdicts.get(key);
        if (verdict == null || now - verdict.until() > 0) {
            if (!compute) {
                return false;
            }
            if (verdicts.size() >= MAX_CACHED) {
                verdicts.clear();
            }
            verdict = new Verdict(PasswordHash.verify(password, room.passwordHash()), now + settings.authCache().toNanos());
            verdicts.put(key, verdict);
        }
        if (!verdict.matches()) {
            throw ApiError.INVALID_PASSWORD.exception();
        }
        return true;
    }

    private String digest(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
