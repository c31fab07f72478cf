package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;
import io.micronaut.core.annotation.Nullable;

import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The name a room client speaks under in its room: claimed with {@code POST {base}/join} (or
 * its saved token, when the room still takes it), its token sent with every request, checked with
 * the first request when it was not checked first ({@link #holdLazily}), claimed again when the room
 * no longer takes it, and refused to every later request once the room refused the name. An
 * observer password holds no name; neither does a server without names.
 */
final class NameHold {
    /** The room's codes for a name's token it no longer takes: never given (by this room), expired, revoked. */
    private static final Set<String> ENDED_TOKEN = Set.of("invalid_token", "token_expired", "token_revoked");

    private record Held(String agent, String kind, NameTokens tokens) {
    }

    private final RoomHttp http;
    private final RoomIdentity identity;
    private final String password;
    /** Whether the server is known to have no names (the original one). */
    private final BooleanSupplier serverWithoutNames;
    /** Told when the room granted a name: only an agent-chat server does. */
    private final Runnable serverWithNames;
    /** The token of the name held, sent as {@code Authorization: Bearer}. */
    @Nullable
    private volatile String token;
    /** The name whose saved token is sent without having been checked yet ({@link #holdLazily}). */
    @Nullable
    private volatile Held unchecked;
    /** The name held, to claim it again when the room no longer takes its token ({@link #claimAgain}). */
    @Nullable
    private volatile Held held;
    /** Whether the room said the password is its observer password, which claims no name and only reads. */
    private volatile boolean observer;
    /** Why the room refused the name to be held, once it has ({@link #check}). */
    @Nullable
    private volatile RoomException refusal;

    NameHold(RoomHttp http, RoomIdentity identity, String password, BooleanSupplier serverWithoutNames,
             Runnable serverWithNames) {
        this.http = http;
        this.identity = identity;
        this.password = password;
        this.serverWithoutNames = serverWithoutNames;
        this.serverWithNames = serverWithNames;
    }

    /** The token of the name held, or null. */
    @Nullable
    String token() {
        return token;
    }

    /** The name held, or null. */
    @Nullable
    String agent() {
        Held name = held;
        return name == null ? null : name.agent();
    }

    /** Whether the room said the password is its observer password: it reads, and every write is refused. */
    boolean observes() {
        return observer;
    }

    /**
     * Holds {@code agent} from now on: with the token kept in {@code tokens} when the room still takes
     * it, else by claiming the name and keeping the new token. A name someone else holds, or one the host
     * kicked, is a {@link RoomException} saying so; a server without names is used with the password alone.
     */
    void hold(String agent, String kind, NameTokens tokens) {
        hold(new Held(agent, kind, tokens), null);
    }

    /**
     * {@link #hold(String, String, NameTokens)}; with the {@code refused} token a request was turned
     * away with, the name is claimed only while that token is still the one held: requests refused
     * together (an MCP server's calls after a restart) wait for one claim and go on with its token.
     */
    private void hold(Held name, @Nullable String refused) {
        held = name;
        if (serverWithoutNames.getAsBoolean()) {
            return;
        }
        name.tokens().claiming(name.agent(), () -> {
            if (refused == null || refused.equals(token)) {
                claim(name.agent(), name.kind(), name.tokens());
            }
            return null;
        });
    }

    /**
     * Claims the name and keeps its token; its own requests carry their headers themselves, so that
     * requests made meanwhile go on with the token held until the claim ends, and a refused claim
     * leaves it as it was.
     */
    private void claim(String agent, String kind, NameTokens tokens) {
        String body = Json.object().put("agent", agent).put("kind", kind).toString();
        RoomAddress address = http.address();
        Optional<NameTokens.Saved> saved = tokens.load(address, agent, password, identity);
        if (saved.isPresent()) {
            if (!saved.get().samePassword() && readOnly() != null) {
                token = null;
                observer = true;
                return; // the observer password reads under no name, though a token for it is saved
            }
            String kept = saved.get().token();
            try {
                http.withPassword(kept, "POST", "/join", body, RoomHttp.TIMEOUT, joined -> {
                    learnRoom(joined);
                    return null;
                });
                granted(kept);
                if (!saved.get().exact() || !saved.get().samePassword() || saved.get().roomId() == null) {
                    tokens.save(address, agent, kept, password, identity.known().orElse(null));
                }
                return;
            } catch (RoomException e) {
                if (noNames(e)) {
                    token = null;
                    return;
                }
                if (e.status() != 401 && e.status() != 400) {
                    throw Refusals.toHolder(e, agent);
                }
                if (saved.get().exact()) {
                    tokens.delete(address, agent); // expired, revoked or from an earlier server: claim anew
                }
            }
        }
        String granted;
        try {
            granted = http.withPassword(null, "POST", "/join", body, RoomHttp.TIMEOUT,
                joined -> {
                    learnRoom(joined);
                    return (String) Wire.object(joined).get("token");
                });
        } catch (RoomException e) {
            if (noNames(e)) {
                token = null;
                return;
            }
            if ("read_only".equals(e.code())) {
                token = null;
                observer = true;
                return; // an observer reads under no name: its password alone, as before names
            }
            if ("name_claimed".equals(e.code())) {
                throw new RoomException(RoomException.Kind.REJECTED, 403, "The name '" + agent
                    + "' is held by someone else in this room: choose another name (-a)", e.code(), null);
            }
            throw Refusals.toHolder(e, agent);
        }
        granted(granted);
        if (granted != null) {
            tokens.save(address, agent, granted, password, identity.known().orElse(null));
        }
    }

    /** Learns the room's identity from its answer to {@code POST {base}/join}. */
    private void learnRoom(@Nullable Object joined) {
        if (Wire.object(joined).get(RoomIdentity.FIELD) instanceof String room) {
            identity.learnt(room);
        }
    }

    private void granted(@Nullable String granted) {
        serverWithNames.run();
        token = granted;
    }

    /**
     * A token stands for the password, so the room would take it with any password: when the password
     * is not the one the token was claimed with, one request with the password alone asks the room
     * what it opens, so that a wrong password is not hidden by a good token and the observer password
     * writes nothing with it. The request changes nothing: {@code DELETE {base}/join} without a token,
     * which the room's password is answered {@code token_required}, the observer password
     * {@code read_only} (returned: the token is not to be used) and a wrong one {@code invalid_password}
     * (thrown). A server without names (the original one answers an unknown method 501) is the password's alone.
     */
    @Nullable
    RoomException readOnly() {
        try {
            http.withPassword(null, "DELETE", "/join", null, RoomHttp.TIMEOUT, json -> null);
            return null;
        } catch (RoomException e) {
            if ("read_only".equals(e.code())) {
                return e;
            }
            if ("token_required".equals(e.code()) || noNames(e) || e.status() == 501) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Whether {@code POST /join} failed because the server has no names to claim: the original server
     * (which answers every path it does not know 404, before it looks at the password) or an
     * agent-chat server from before names. Asking it directly spares a one-shot command a round trip.
     */
    private static boolean noNames(RoomException e) {
        return e.status() == 404 && e.code() == null || e.status() == 405;
    }

    /**
     * Like {@link #hold(String, String, NameTokens)}, but a saved token is not checked with a request of
     * its own: it goes with the first request, and only when the room refuses it is the name claimed anew
     * and that request sent again ({@link #send}).
     */
    void holdLazily(String agent, String kind, NameTokens tokens) {
        Optional<NameTokens.Saved> saved = serverWithoutNames.getAsBoolean() ? Optional.empty()
            : tokens.load(http.address(), agent, password, identity);
        if (saved.isEmpty() || !saved.get().exact() || !saved.get().samePassword()) {
            hold(agent, kind, tokens);
            return;
        }
        identity.learnt(saved.get().roomId());
        granted(saved.get().token());
        held = new Held(agent, kind, tokens);
        unchecked = held;
    }

    /** Checks a token sent unchecked so far ({@link #holdLazily}) as {@link #hold(String, String, NameTokens)} would. */
    void check() {
        throwIfRefused();
        Held pending = unchecked;
        if (pending != null) {
            unchecked = null;
            try {
                hold(pending.agent(), pending.kind(), pending.tokens());
            } catch (RoomException e) {
                // a name the room refuses (kicked, held by someone else) is refused to every later request
                // too, so that nothing is read or sent under it with the password alone
                refusal = e;
                throw e;
            }
        }
    }

    /** A name the room has refused ({@link #check}) is refused to every later request. */
    private void throwIfRefused() {
        RoomException refused = refusal;
        if (refused != null) {
            throw refused;
        }
    }

    /**
     * After the room refused the token as one it no longer takes ({@code invalid_token},
     * {@code token_expired}, {@code token_revoked}), claims the name again and answers true; any other
     * refusal, or no name held, answers false. A claim the room refuses is thrown.
     */
    boolean claimAgain(RoomException refused) {
        return claimAgain(refused, null);
    }

    /** {@link #claimAgain(RoomException)}, claiming only while {@code sent}, the token refused, is still the one held. */
    private boolean claimAgain(RoomException refused, @Nullable String sent) {
        Held name = held;
        // an error without a code (the original server's) is no ended token; Set.of refuses to look up null
        if (name == null || refused.status() != 401 || refused.code() == null || !ENDED_TOKEN.contains(refused.code())) {
            return false;
        }
        hold(name, sent);
        return true;
    }

    /**
     * {@code request} made under the name: with its token (null when none is held). A token the room no
     * longer takes is replaced first ({@link #check}, {@link #claimAgain}) and the request made once
     * more, so a long-lived client (an MCP server, a wait) outlives a restarted server. A kick is said
     * as the holder reads it ({@link Refusals#toHolder}).
     */
    <T> T send(Function<String, T> request) {
        try {
            return sendOnceMore(request);
        } catch (RoomException e) {
            throw Refusals.toHolder(e, agent());
        }
    }

    private <T> T sendOnceMore(Function<String, T> request) {
        throwIfRefused();
        Held pending = unchecked;
        String sent = token;
        try {
            T answer = request.apply(sent);
            unchecked = null;
            return answer;
        } catch (RoomException e) {
            if (pending != null && unchecked == pending && (e.status() == 401 || "kicked".equals(e.code()))) {
                // the saved token was refused: what hold does with it (claim anew, or say why not)
                check();
            } else if (!claimAgain(e, sent)) {
                throw e;
            }
            // the name is held again (a restarted server knew no token): the refused request once more
            return request.apply(token);
        }
    }
}
