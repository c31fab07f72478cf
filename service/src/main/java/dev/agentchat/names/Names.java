package dev.agentchat.names;

import dev.agentchat.auth.Caller;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names claimed in a room, and what the host did to names: the rules, over a {@link NameStore}.
 * <ul>
 *   <li>{@link #join}: a name nobody holds is claimed with a new random token (192 bits), kept only as
 *       its SHA-256; the token is then the name's credential ({@link #holder}).</li>
 *   <li>A claim ends when its holder leaves ({@link #leave}, the token answers {@code token_revoked}),
 *       when the host kicks the name ({@link #kick}: revoked, and the name blocked for
 *       {@link NameSettings#kickBlock()}: {@code kicked}), or when unused for {@link NameSettings#idle()}
 *       ({@code token_expired}).</li>
 *   <li>A name held by someone is refused to anyone else ({@code name_claimed}); a blocked name to
 *       everyone ({@code kicked}); a muted name may read but not post ({@code muted}).</li>
 * </ul>
 * Names compare case-insensitively, as mentions do. A token is bound to one room: in any other it is
 * unknown ({@code invalid_token}).
 */
@Singleton
public class Names {
    /**
     * The name of a message sent without one (the protocol's default): nobody can hold it, or every
     * client that sends no name would be refused.
     */
    public static final String ANONYMOUS = "anonymous";
    public static final String EXPIRED = "expired";
    public static final String REVOKED = "revoked";
    private static final String TOKEN_PREFIX = "act_";
    /** What starts the announcement of a claimed name (a moderation's line never starts so). */
    private static final String CLAIMED = "claimed\n";
    private static final String SESSION_HOLDER = "holder:";
    private static final int TOKEN_BYTES = 24;
    /** How long a mute or a room's observer password is kept when nothing refreshes it. */
    private static final Duration KEEP = Duration.ofDays(30);

    private final NameStore store;
    private final NameSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final Sinks.Many<Moderated> moderations = Sinks.many().multicast().directBestEffort();
    /** Names claimed, as {@code room\nname}, announced on every instance. */
    private final Sinks.Many<String> claimed = Sinks.many().multicast().directBestEffort();

    /**
     * What the host did to a name in a room (kicked it, or muted or unmuted it), and where that left
     * the name: announced on every instance, for the name's own streams and for everyone watching.
     *
     * @param blockedUntil until when the name is blocked (epoch millis), or 0
     */
    public record Moderated(String room, String name, boolean kicked, boolean muted, long blockedUntil) {
        /** One line for the store's announcements: the name last, as it may hold any printable character. */
        String line() {
            return room + '\n' + (kicked ? 1 : 0) + '\n' + (muted ? 1 : 0) + '\n' + blockedUntil + '\n' + name;
        }

        /** The announcement {@link #line()} made, or null when it is not one. */
        @Nullable
        static Moderated parse(String line) {
            String[] parts = line.split("\n", 5);
            if (parts.length < 5) {
                return null;
            }
            try {
                return new Moderated(parts[0], parts[4], "1".equals(parts[1]), "1".equals(parts[2]),
                    Long.parseLong(parts[3]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** A granted claim: the token is shown this once and never again. */
    public record Joined(String name, String kind, String token) {
    }

    /** Who holds a name, for the list of agents. */
    public record Held(String name, String kind, boolean muted) {
    }

    public Names(NameStore store, NameSettings settings) {
        this.store = store;
        this.settings = settings;
        store.onAnnouncement(line -> {
            if (line.startsWith(CLAIMED)) {
                synchronized (claimed) {
                    claimed.tryEmitNext(line.substring(CLAIMED.length()));
                }
                return;
            }
            Moderated moderated = Moderated.parse(line);
            if (moderated != null) {
                synchronized (moderations) {
                    moderations.tryEmitNext(moderated);
                }
            }
        });
    }

    /** A room's identity: its name and when it was created (a room re-created under a name is another room). */
    public static String roomKey(String roomName, long createdAt) {
        return roomName + ":" + createdAt;
    }

    /**
     * What a name is held, muted and kicked under: its compatibility form in lower case, so that
     * {@code ｃｏｄｅｒ} (full width) or {@code Coder} is the name {@code coder} and cannot pass for it.
     */
    /**
     * What a kicked name's holder is told, by the CLI and both MCP servers.
     *
     * @param until until when the name is blocked, as the surface shows times; null when not known
     */
    public static String removed(String agent, @Nullable String until) {
        return "The host removed '" + agent + "' from this room; the name is blocked "
            + (until == null ? "for a while" : "until " + until);
    }

    public static String key(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** Claims {@code name} for a new holder: {@code name_claimed} when someone holds it, {@code kicked} when blocked. */
    public Joined join(String room, String name, String kind) {
        String key = key(name);
        if (key.equals(ANONYMOUS)) {
            throw ApiError.INVALID_AGENT.exception("'" + name + "' is the name of messages sent without a name: "
                + "nobody can hold it. Choose another.");
        }
        refuseBlocked(room, key);
        Claim current = live(room, key);
        if (current != null) {
            throw ApiError.NAME_CLAIMED.exception();
        }
        if (store.claims(room).size() >= settings.maxPerRoom()) {
            throw ApiError.TOO_MANY_NAMES.limit(settings.maxPerRoom(), null);
        }
        String token = newToken();
        Claim claim = new Claim(name, kind, hash(token), clock.millis());
        if (!store.claim(room, key, claim, keepMillis())) {
            throw ApiError.NAME_CLAIMED.exception();
        }
        // streams that listen under the name without holding it stop counting for it (claimOf)
        store.announce(CLAIMED + room + '\n' + key);
        return new Joined(name, kind, token);
    }

    /**
     * The claim a token stands for, marked as used now: {@code invalid_token} when the room never
     * gave it, {@code token_expired} or {@code token_revoked} when it ended, {@code kicked} while its
     * name is blocked.
     */
    public Claim holder(String room, String token) {
        return holderByHash(room, hash(token));
    }

    private Claim holderByHash(String room, String tokenHash) {
        Claim claim = store.byToken(room, tokenHash);
        if (claim != null && expired(claim)) {
            store.end(room, key(claim.name()), claim, EXPIRED + '\n' + key(claim.name()), settings.remember().toMillis());
            claim = null;
        }
        if (claim == null) {
            String ended = store.ended(room, tokenHash);
            if (ended == null) {
                throw ApiError.INVALID_TOKEN.exception("This room does not know this token (a restarted server forgets the names"
                    + " it gave): claim the name again (POST join)");
            }
            int newline = ended.indexOf('\n');
            if (newline > 0) {
                // the name of a kicked holder stays refused while it is blocked
                refuseBlocked(room, ended.substring(newline + 1));
                ended = ended.substring(0, newline);
            }
            throw (EXPIRED.equals(ended) ? ApiError.TOKEN_EXPIRED : ApiError.TOKEN_REVOKED).exception();
        }
        refuseBlocked(room, key(claim.name()));
        Claim used = claim.usedAt(clock.millis());
        store.touch(room, key(claim.name()), used, keepMillis());
        return used;
    }

    /** Ends the claim of the token's holder. */
    public void leave(String room, Claim claim) {
        store.end(room, key(claim.name()), claim, REVOKED + '\n' + key(claim.name()), settings.remember().toMillis());
    }

    /** Refuses a name to a caller who does not hold it: {@code kicked} when blocked, {@code name_claimed} when held. */
    public void refuseToOthers(String room, String name) {
        refuseBlocked(room, key(name));
        if (held(room, name)) {
            throw ApiError.NAME_CLAIMED.exception();
        }
    }

    /** Whether someone holds {@code name} in the room now. */
    public boolean held(String room, String name) {
        return live(room, key(name)) != null;
    }

    /** Refuses a post under {@code name} while it is muted or blocked. */
    public void refuseMuted(String room, String name) {
        String key = key(name);
        refuseBlocked(room, key);
        if (store.muted(room, List.of(key)).contains(key)) {
            throw ApiError.MUTED.exception();
        }
    }

    /** Refuses a name while it is blocked ({@code kicked}, saying until when). */
    public void refuseBlocked(String room, String key) {
        long until = store.blockedUntil(room, key);
        if (until > clock.millis()) {
            throw kicked(until);
        }
    }

    /** The {@code kicked} error for {@code name}, saying until when it is blocked when it still is. */
    public ApiException kicked(String room, String name) {
        long until = blockedUntil(room, name);
        return until > 0 ? kicked(until) : ApiError.KICKED.exception();
    }

    private ApiException kicked(long until) {
        return ApiError.KICKED.blockedUntil(Instant.ofEpochMilli(until), clock.instant());
    }

    /** Revokes the name's claim (if any), blocks the name and ends its streams and polls on every instance. */
    public Moderated kick(String room, String name) {
        String key = key(name);
        Claim claim = store.claimOf(room, key);
        if (claim != null) {
            store.end(room, key, claim, REVOKED + '\n' + key, settings.remember().toMillis());
        }
        long until = clock.millis() + settings.kickBlock().toMillis();
        store.block(room, key, until);
        store.moderated(room, key, name, settings.kickBlock().toMillis());
        return announce(new Moderated(room, name, true, muted(room, name), until));
    }

    /** Mutes or unmutes the name, and tells everyone watching. */
    public Moderated mute(String room, String name, boolean muted) {
        store.mute(room, key(name), muted, KEEP.toMillis());
        if (muted) {
            store.moderated(room, key(name), name, KEEP.toMillis());
        }
        return announce(new Moderated(room, name, false, muted, blockedUntil(room, name)));
    }

    private Moderated announce(Moderated moderated) {
        store.announce(moderated.line());
        return moderated;
    }

    public boolean muted(String room, String name) {
        return !muted(room, List.of(name)).isEmpty();
    }

    /** The names among {@code names} that are muted (as given): one read of the store for all of them. */
    public Set<String> muted(String room, Collection<String> names) {
        Map<String, String> byKey = new HashMap<>();
        names.forEach(name -> byKey.put(key(name), name));
        Set<String> muted = new HashSet<>();
        store.muted(room, byKey.keySet()).forEach(key -> muted.add(byKey.get(key)));
        return muted;
    }

    /** Until when the name is blocked (epoch millis), or 0. */
    public long blockedUntil(String room, String name) {
        long until = store.blockedUntil(room, key(name));
        return until > clock.millis() ? until : 0;
    }

    /**
     * Until when (epoch millis) each of the blocked names among {@code names} is blocked, by
     * {@linkplain #key key}: one read of the store for all of them.
     */
    public Map<String, Long> blockedUntil(String room, Collection<String> names) {
        Set<String> keys = new HashSet<>();
        names.forEach(name -> keys.add(key(name)));
        long now = clock.millis();
        Map<String, Long> blocked = new HashMap<>();
        store.blockedUntil(room, keys).forEach((key, until) -> {
            if (until > now) {
                blocked.put(key, until);
            }
        });
        return blocked;
    }

    /**
     * The names the host kicked or muted in the room, by {@linkplain #key key}, as the host gave them:
     * those still blocked or muted are listed with the room's people even if they never spoke.
     */
    public Map<String, String> moderated(String room) {
        return store.moderated(room);
    }

    /** Every name held in the room now. */
    public List<Held> held(String room) {
        List<Claim> live = store.claims(room).stream().filter(claim -> !expired(claim)).toList();
        Set<String> muted = store.muted(room, live.stream().map(claim -> key(claim.name())).toList());
        return live.stream().map(claim -> new Held(claim.name(), claim.kind(), muted.contains(key(claim.name()))))
            .toList();
    }

    /** What the host does to the room's names, as it happens on any instance. */
    public Flux<Moderated> moderations(String room) {
        return moderations.asFlux().filter(moderated -> moderated.room().equals(room));
    }

    /** Emits once when someone claims {@code name} in the room (on any instance). */
    public Mono<String> claimOf(String room, String name) {
        String announced = room + '\n' + key(name);
        return claimed.asFlux().filter(announced::equals).next();
    }

    /** Ends when {@code name} is kicked in the room; never when {@code name} is null. */
    public Flux<Moderated> kickOf(String room, @Nullable String name) {
        if (name == null) {
            return Flux.never();
        }
        String key = key(name);
        return moderations(room).filter(moderated -> moderated.kicked() && key(moderated.name()).equals(key)).take(1);
    }

    /**
     * A new browser session standing for {@code caller} (and, for a holder, its token's hash): the
     * session's id, for the cookie; only its hash is kept.
     */
    public String openSession(String room, Caller caller, @Nullable String token) {
        String value = caller.role() == Caller.Role.HOLDER ? SESSION_HOLDER + hash(token) : caller.role().name();
        String id = newToken().substring(TOKEN_PREFIX.length());
        store.session(room, hash(id), value, settings.idle().toMillis());
        return id;
    }

    /** Who a browser session stands for, refreshed; null when the room has no such session. */
    @Nullable
    public Caller session(String room, String id) {
        String idHash = hash(id);
        String value = store.session(room, idHash);
        if (value == null) {
            return null;
        }
        Caller caller;
        if (value.startsWith(SESSION_HOLDER)) {
            Claim claim = holderByHash(room, value.substring(SESSION_HOLDER.length()));
            caller = Caller.holder(claim.name(), claim.kind());
        } else {
            caller = switch (Caller.Role.valueOf(value)) {
                case HOST -> Caller.HOST;
                case OBSERVER -> Caller.OBSERVER;
                default -> Caller.MEMBER;
            };
        }
        store.session(room, idHash, value, settings.idle().toMillis());
        return caller;
    }

    public void closeSession(String room, String id) {
        store.session(room, hash(id), null, 0);
    }

    public void observerPassword(String room, String passwordHash) {
        store.observer(room, passwordHash, KEEP.toMillis());
    }

    @Nullable
    public String observerHash(String room) {
        return store.observerHash(room);
    }

    @Nullable
    private Claim live(String room, String key) {
        Claim claim = store.claimOf(room, key);
        if (claim != null && expired(claim)) {
            store.end(room, key, claim, EXPIRED + '\n' + key, settings.remember().toMillis());
            return null;
        }
        return claim;
    }

    private boolean expired(Claim claim) {
        return clock.millis() - claim.lastUsed() > settings.idle().toMillis();
    }

    /** Stored claims outlive their idle time a little, so an expired token is told apart from a forged one. */
    private long keepMillis() {
        return settings.idle().toMillis() + settings.remember().toMillis();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a bearer key looks like a name's token (rather than the host key). */
    public static boolean isToken(String key) {
        return key.startsWith(TOKEN_PREFIX);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
