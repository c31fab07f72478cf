package dev.agentchat.hosting;

import dev.agentchat.auth.AccessSettings;
import dev.agentchat.auth.HostKey;
import dev.agentchat.auth.Caller;
import dev.agentchat.auth.PasswordHash;
import dev.agentchat.error.ApiError;
import dev.agentchat.names.Names;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens rooms for requests, the server's own room and named rooms alike: checks the name, finds the
 * room in the {@link RoomStore}, checks the password against its hash (or the observer passwords:
 * the server's, then the room's own) and records the activity. A verdict is remembered for a short
 * while per (room, password digest), so the slow hash of a named room's password is not computed on
 * every request of a client.
 */
@Singleton
public class RoomRegistry {
    private static final int MAX_PASSWORD = 256;
    private static final int MAX_CACHED = 10_000;

    private final RoomStore store;
    private final RoomsSettings settings;
    private final Names names;
    private final HostKey hostKey;
    @Nullable
    private final byte[] observerDigest;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    /** Cache keys hold a keyed digest of the password, never the password or a plain hash of it. */
    private final SecretKeySpec cacheKey;
    /** One keyed digest per thread, set up once: a request's check is then one digest, no provider lookup. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /** What a password opens: null caller when nothing. */
    private record Verdict(@Nullable Caller caller, long until) {
    }

    /** A room opened for a request, and who opened it. */
    public record Opened(HostedRoom room, Caller caller) {
    }

    public RoomRegistry(RoomStore store, RoomsSettings settings, Names names, AccessSettings access, HostKey hostKey) {
        this.store = store;
        this.settings = settings;
        this.names = names;
        this.hostKey = hostKey;
        String observer = access.observerPassword();
        this.observerDigest = observer == null || observer.isEmpty() ? null : sha256(observer);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * {@code PUT /rooms/{room}}: creates the room with this password (and its own observer password,
     * if given), or checks it against the existing one. Creating needs the host ({@code host}) unless
     * the server's rooms are open.
     */
    public RoomStore.Creation createOrConfirm(String given, @Nullable String password, String creator, boolean host,
                                              @Nullable String observerPassword) {
        String name = RoomName.require(given);
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
            throw ApiError.ROOM_PASSWORD_REQUIRED.exception();
        }
        if (observerPassword != null && (observerPassword.isEmpty() || observerPassword.length() > MAX_PASSWORD
            || observerPassword.equals(password))) {
            throw ApiError.INVALID_FIELD.exception("The observer password must be 1-256 characters and differ from the room password");
        }
        HostedRoom existing = store.find(name).orElse(null);
        if (existing == null) {
            if (!settings.enabled()) {
                throw ApiError.ROOMS_DISABLED.exception();
            }
            if (!host && !settings.open()) {
                throw ApiError.HOST_ONLY.exception();
            }
            for (String secret : observerPassword == null ? List.of(password) : List.of(password, observerPassword)) {
                if (serverSecret(secret)) {
                    // it would open the room as something else: the server's observers as members, anyone as the host
                    throw ApiError.INVALID_FIELD.exception(
                        "A room's passwords must differ from the server's observer password and host key");
                }
            }
            RoomStore.Creation creation = store.create(name, PasswordHash.hash(password, settings.hashIterations()), creator);
            if (creation.created()) {
                if (observerPassword != null) {
                    names.observerPassword(key(creation.room()),
                        PasswordHash.hash(observerPassword, settings.hashIterations()));
                }
                return creation;
            }
            existing = creation.room();
        }
        Caller caller = check(existing, password, true);
        if (caller.role() != Caller.Role.MEMBER) {
            throw ApiError.INVALID_PASSWORD.exception();
        }
        store.touch(existing);
        return new RoomStore.Creation(existing, false);
    }

    /** Whether {@code password} is the server's own observer password or its host key. */
    private boolean serverSecret(String password) {
        return hostKey.matches(password) || serverObserver(password);
    }

    /** Whether {@code password} is the observer password of every room ({@code --observer-password}). */
    private boolean serverObserver(String password) {
        return observerDigest != null && MessageDigest.isEqual(observerDigest, sha256(password));
    }

    /**
     * Ends a named room now, with everything it holds ({@link RoomStore#end}): the host's call, at
     * {@code DELETE /rooms/{room}} or its base URL's {@code DELETE room}. The server's own room ends
     * only with its server ({@code 409 server_room}). May ask Redis: call it off the event loop.
     */
    public void end(HostedRoom room) {
        if (RoomName.SERVER.equals(room.name())) {
            throw ApiError.SERVER_ROOM.exception();
        }
        store.end(room);
    }

    /** The room's identity as clients see it ({@link RoomStore#id}). */
    public String id(HostedRoom room) {
        return store.id(room);
    }

    /** The identity of a room for its names ({@link Names#roomKey}). */
    public static String key(HostedRoom room) {
        return Names.roomKey(room.name(), room.createdAt());
    }

    /**
     * The room for a request to its base URL ({@link RoomName#SERVER} for the root paths), opened
     * with a password: 400, 404 or 401 when it may not be used. May compute a slow hash or ask Redis:
     * call it off the event loop unless {@link #openQuickly} answered.
     */
    public Opened open(String name, @Nullable String password) {
        HostedRoom room = find(name);
        if (password == null) {
            throw ApiError.INVALID_PASSWORD.exception();
        }
        Caller caller = check(room, password, true);
        store.touch(room);
        return new Opened(room, caller);
    }

    /**
     * The room for a request whose credentials are checked another way (a key, a session): 400 or
     * 404 when it may not be used. May ask Redis: call it off the event loop.
     */
    public HostedRoom openTrusted(String name) {
        HostedRoom room = find(name);
        store.touch(room);
        return room;
    }

    /**
     * The room, when opening it needs neither the network nor a slow hash (rooms in memory, a
     * password checked recently); null when only {@link #open} can tell. Throws as {@link #open} does.
     */
    @Nullable
    public Opened openQuickly(String name, @Nullable String password) {
        if (store.remote() || password == null) {
            return null;
        }
        HostedRoom room = find(name);
        Caller caller = check(room, password, false);
        if (caller == null) {
            return null;
        }
        store.touch(room);
        return new Opened(room, caller);
    }

    private HostedRoom find(String name) {
        if (RoomName.SERVER.equals(name)) {
            return store.serverRoom();
        }
        return store.find(RoomName.require(name)).orElseThrow(ApiError.ROOM_NOT_FOUND::exception);
    }

    /**
     * Who the password makes the caller; throws when it opens nothing; null when the verdict is not
     * known and {@code compute} is false.
     */
    @Nullable
    private Caller check(HostedRoom room, String password, boolean compute) {
        String key = room.name() + '\n' + room.createdAt() + '\n' + digest(password);
        long now = System.nanoTime();
        Verdict verdict = verdicts.get(key);
        if (verdict == null || now - verdict.until() > 0) {
            if (!compute) {
                return null;
            }
            if (verdicts.size() >= MAX_CACHED) {
                verdicts.clear();
            }
            verdict = new Verdict(judge(room, password), now + settings.authCache().toNanos());
            verdicts.put(key, verdict);
        }
        if (verdict.caller() == null) {
            throw ApiError.INVALID_PASSWORD.exception();
        }
        return verdict.caller();
    }

    @Nullable
    private Caller judge(HostedRoom room, String password) {
        if (PasswordHash.verify(password, room.passwordHash())) {
            return Caller.MEMBER;
        }
        if (serverObserver(password)) {
            return Caller.OBSERVER;
        }
        if (RoomName.SERVER.equals(room.name())) {
            return null; // only named rooms have observer passwords of their own (a lookup that needs Redis)
        }
        String own = names.observerHash(key(room));
        return own != null && PasswordHash.verify(password, own) ? Caller.OBSERVER : null;
    }

    private String digest(String password) {
        return Base64.getEncoder().encodeToString(macs.get().doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
