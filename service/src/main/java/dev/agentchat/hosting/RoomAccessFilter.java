package dev.agentchat.hosting;

import dev.agentchat.auth.AccessSettings;
import dev.agentchat.auth.Caller;
import dev.agentchat.auth.HostKey;
import dev.agentchat.auth.RoomPassword;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.limits.PasswordThrottle;
import dev.agentchat.names.Claim;
import dev.agentchat.names.Names;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Opens the room a request to a room's API addresses, for every room alike: the server's own room
 * at the root ({@code /messages…}, {@code /agents…}) and each named room under its base URL
 * ({@code /rooms/{room}/messages…}), and each room's MCP endpoint ({@code /mcp}, {@code /rooms/{room}/mcp}).
 * The room's password comes from {@link RoomPassword}; wrong ones
 * count against the client's address ({@link PasswordThrottle}). The opened room is a request
 * attribute that {@link RoomController} reads; who is calling ({@link Caller}) is another.
 *
 * <p>A request is judged by one credential: {@code Authorization: Bearer <key>} first (the server's
 * host key, {@link HostKey}, opens every room as the host; a name's token acts as that name; any other
 * key is {@code invalid_token} and counts as a wrong password, but for one in the shape of a name's token,
 * which a restarted server no longer knows: tokens are too long to guess), else the password (the room's, or
 * an observer password: reads only, {@code read_only} for writes; the host key sent as the password
 * is {@code host_key_as_password}, which opens nothing and is not counted as a wrong one), else the room's session cookie
 * ({@link #sessionCookie}), which stands for the credential that opened it.
 *
 * <p>One threading policy for every room ({@link RoomThreading}): the request goes on where it arrived
 * when the room is in memory and its key, its session or a recently checked password opens it;
 * otherwise (a slow hash to compute, a room in Redis) the password throttle, opening the room and the
 * operation after it run on the bounded-elastic scheduler.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RoomAccessFilter implements Ordered {
    private static final String ATTRIBUTE = "agent-chat.room";
    private static final String NAMED = "/rooms/";
    private static final String SESSION_COOKIE = "agent-chat-session";
    private static final String COOKIE_ATTRIBUTE = "agent-chat.set-cookie";

    private final RoomRegistry registry;
    private final PasswordThrottle throttle;
    private final HostKey hostKey;
    private final Names names;
    private final RoomThreading threading;
    /** Whether a guess at the host key could look like a name's token (a host key given in that shape). */
    private final boolean hostKeyLikeToken;

    public RoomAccessFilter(RoomRegistry registry, PasswordThrottle throttle, HostKey hostKey, AccessSettings access,
                            Names names, RoomThreading threading) {
        this.threading = threading;
        this.hostKeyLikeToken = access.hostKey() != null && Names.isToken(access.hostKey());
        this.registry = registry;
        this.throttle = throttle;
        this.hostKey = hostKey;
        this.names = names;
    }

    /** The room this filter opened for the request. */
    public static HostedRoom room(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, HostedRoom.class)
            .orElseThrow(() -> new IllegalStateException("no room opened for " + request.getPath()));
    }

    @RequestFilter
    public Publisher<? extends HttpResponse<?>> open(HttpRequest<?> request,
                                                    FilterContinuation<Publisher<HttpResponse<?>>> next) {
        String name = request.getMethod() == HttpMethod.OPTIONS ? null : roomOf(request.getPath());
        if (name == null) {
            return next.proceed();
        }
        String bearer = Caller.bearer(request);
        String password = bearer == null ? RoomPassword.of(request) : null;
        String session = bearer == null && password == null
            ? request.getCookies().findCookie(sessionCookie(name)).map(Cookie::getValue).orElse(null) : null;
        if (session != null && crossSite(request)) {
            return Mono.just(refused(request, ApiError.CROSS_SITE_REQUEST.exception()));
        }
        boolean remote = threading.remote();
        if (!remote) {
            try {
                throttle.check(request);
                // in memory a key or a session is checked at once; a password only when checked recently
                RoomRegistry.Opened quick = bearer != null || session != null
                    ? resolve(name, bearer, password, session)
                    : registry.openQuickly(name, password);
                if (quick != null) {
                    return admit(request, next, quick);
                }
            } catch (ApiException e) {
                return Mono.just(refused(request, misplacedKey(e, password)));
            }
        }
        return Mono.fromCallable(() -> {
                if (remote) {
                    // the shared throttle asks Redis too
                    throttle.check(request);
                }
                return resolve(name, bearer, password, session);
            })
            .subscribeOn(Schedulers.boundedElastic())
            .flatMap(opened -> Mono.from(admit(request, next, opened)))
            .onErrorResume(ApiException.class, e -> Mono.just(refused(request, misplacedKey(e, password))));
    }

    /**
     * Whether a browser says the request, one that may change something, comes from a page of another
     * origin ({@code Sec-Fetch-Site}): the session cookie is {@code SameSite=Strict}, which keeps other
     * sites out but not a page on another port of the same host. Only the room's own page (and what
     * the person typed, {@code none}) acts with its session; clients that are no browser send no such header.
     */
    private static boolean crossSite(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return false;
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        return site != null && !site.equals("same-origin") && !site.equals("none");
    }

    /** Who the request's one credential makes the caller: a bearer key, else a password, else a session cookie. */
    private RoomRegistry.Opened resolve(String name, @Nullable String bearer, @Nullable String password,
                                        @Nullable String session) {
        if (bearer != null) {
            if (hostKey.matches(bearer)) {
                return new RoomRegistry.Opened(registry.openTrusted(name), Caller.HOST);
            }
            HostedRoom room = registry.openTrusted(name);
            if (!Names.isToken(bearer)) {
                throw ApiError.INVALID_TOKEN.exception("Invalid token: neither the host key nor a name's token");
            }
            Claim claim = names.holder(RoomRegistry.key(room), bearer);
            return new RoomRegistry.Opened(room, Caller.holder(claim.name(), claim.kind()));
        }
        if (session != null) {
            HostedRoom room = registry.openTrusted(name);
            Caller caller = names.session(RoomRegistry.key(room), session);
            if (caller == null) {
                // not counted as a wrong password: a browser keeps its cookie across a server restart
                throw ApiError.SESSION_ENDED.exception();
            }
            return new RoomRegistry.Opened(room, caller);
        }
        return registry.open(name, password);
    }

    /**
     * The refusal to answer: a wrong password that is the host key says where the key goes instead,
     * and is not counted as a guess (the caller holds the key; only a header is to change).
     */
    private ApiException misplacedKey(ApiException refusal, @Nullable String password) {
        return refusal.error() == ApiError.INVALID_PASSWORD && hostKey.matches(password)
            ? ApiError.HOST_KEY_AS_PASSWORD.exception() : refusal;
    }

    private Publisher<HttpResponse<?>> admit(HttpRequest<?> request,
                                                       FilterContinuation<Publisher<HttpResponse<?>>> next,
                                                       RoomRegistry.Opened opened) {
        if (opened.caller().readOnly() && writes(request)) {
            return Mono.<HttpResponse<?>>just(refused(request, ApiError.READ_ONLY.exception()));
        }
        request.setAttribute(ATTRIBUTE, opened.room());
        request.setAttribute(Caller.ATTRIBUTE, opened.caller());
        return next.proceed();
    }

    /**
     * Whether the request changes something; the MCP endpoint (JSON-RPC over POST) and browser
     * sessions decide for themselves.
     */
    private static boolean writes(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        String path = request.getPath();
        return method != HttpMethod.GET && method != HttpMethod.HEAD
            && !path.endsWith("/mcp") && !path.endsWith("/session");
    }

    /** Adds the cookie an operation asked for ({@link #setCookie}) to its response. */
    @ResponseFilter
    public void addCookie(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(COOKIE_ATTRIBUTE, Cookie.class).ifPresent(response::cookie);
    }

    /** Asks for {@code cookie} to be set on the response to {@code request}. */
    public static void setCookie(HttpRequest<?> request, Cookie cookie) {
        request.setAttribute(COOKIE_ATTRIBUTE, cookie);
    }

    /** The name of the session cookie of a room: one per room, so rooms never see each other's. */
    public static String sessionCookie(String roomName) {
        return RoomName.SERVER.equals(roomName) ? SESSION_COOKIE : SESSION_COOKIE + "-" + roomName;
    }

    /** The base path of a room, the path its session cookie is scoped to. */
    public static String basePath(String roomName) {
        return RoomName.SERVER.equals(roomName) ? "/" : NAMED + roomName;
    }

    private HttpResponse<?> refused(HttpRequest<?> request, ApiException e) {
        if (!staleToken(request, e)) {
            throttle.refused(request, e);
        }
        return ErrorBody.response(e);
    }

    /**
     * A name's token the room does not know: one a restarted server (or an ended room) gave, sent by an
     * agent that does not know yet, not a guess, so not counted as a wrong password. Otherwise a team's
     * agents, all back at once after a restart, would spend their address's allowance and lock out the
     * right password too.
     */
    private boolean staleToken(HttpRequest<?> request, ApiException e) {
        String bearer = Caller.bearer(request);
        return e.error() == ApiError.INVALID_TOKEN && bearer != null && Names.isToken(bearer) && !hostKeyLikeToken;
    }

    /**
     * The name of the room whose API the path is in, or null when it is not a room's API (health,
     * the web UI's files, the document, creating a room).
     */
    @Nullable
    static String roomOf(String path) {
        if (isRoomApi(path)) {
            return RoomName.SERVER;
        }
        if (!path.startsWith(NAMED)) {
            return null;
        }
        int slash = path.indexOf('/', NAMED.length());
        return slash > NAMED.length() && isRoomApi(path.substring(slash))
            ? RoomName.canonical(path.substring(NAMED.length(), slash)) : null;
    }

    /** Whether {@code path} is one of a room's endpoints, as the router takes it: with or without a slash at its end. */
    private static boolean isRoomApi(String path) {
        String endpoint = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return endpoint.equals("/messages") || endpoint.startsWith("/messages/")
            || endpoint.equals("/agents") || endpoint.startsWith("/agents/")
            || endpoint.equals("/claims") || endpoint.startsWith("/claims/")
            || endpoint.equals("/room") || endpoint.startsWith("/room/") || endpoint.equals("/join")
            || endpoint.equals("/session") || endpoint.equals("/mcp");
    }

    @Override
    public int getOrder() {
        return 0;
    }
}
