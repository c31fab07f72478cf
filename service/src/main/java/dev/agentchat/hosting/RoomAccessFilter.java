package dev.agentchat.hosting;

import dev.agentchat.auth.Caller;
import dev.agentchat.auth.HostKey;
import dev.agentchat.auth.RoomPassword;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.limits.PasswordThrottle;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
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
 * <p>A request with {@code Authorization: Bearer <key>} is judged by its key alone: the server's
 * host key ({@link HostKey}) opens every room as the host; any other key is {@code invalid_token}
 * and counts as a wrong password.
 *
 * <p>One threading policy for every room: the request goes on where it arrived when the room is in
 * memory and its password was checked recently; otherwise (a slow hash to compute, a room in Redis)
 * opening the room and the operation after it run on the bounded-elastic scheduler.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RoomAccessFilter implements Ordered {
    private static final String ATTRIBUTE = "agent-chat.room";
    private static final String NAMED = "/rooms/";

    private final RoomRegistry registry;
    private final PasswordThrottle throttle;
    private final HostKey hostKey;

    public RoomAccessFilter(RoomRegistry registry, PasswordThrottle throttle, HostKey hostKey) {
        this.registry = registry;
        this.throttle = throttle;
        this.hostKey = hostKey;
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
        if (bearer != null) {
            return openWithKey(request, next, name, bearer);
        }
        String password = RoomPassword.of(request);
        request.setAttribute(Caller.ATTRIBUTE, Caller.MEMBER);
        try {
            throttle.check(request);
            HostedRoom quick = registry.openQuickly(name, password);
            if (quick != null) {
                request.setAttribute(ATTRIBUTE, quick);
                return next.proceed();
            }
        } catch (ApiException e) {
            return Mono.just(refused(request, e));
        }
        return Mono.fromCallable(() -> registry.open(name, password))
            .subscribeOn(Schedulers.boundedElastic())
            .flatMap(room -> {
                request.setAttribute(ATTRIBUTE, room);
                return Mono.from(next.proceed());
            })
            .onErrorResume(ApiException.class, e -> Mono.just(refused(request, e)));
    }

    private Publisher<? extends HttpResponse<?>> openWithKey(HttpRequest<?> request,
                                                             FilterContinuation<Publisher<HttpResponse<?>>> next,
                                                             String name, String key) {
        try {
            throttle.check(request);
            if (!hostKey.matches(key)) {
                throw ApiError.INVALID_TOKEN.exception();
            }
        } catch (ApiException e) {
            return Mono.just(refused(request, e));
        }
        request.setAttribute(Caller.ATTRIBUTE, Caller.HOST);
        return Mono.fromCallable(() -> registry.openTrusted(name))
            .subscribeOn(Schedulers.boundedElastic())
            .flatMap(room -> {
                request.setAttribute(ATTRIBUTE, room);
                return Mono.from(next.proceed());
            })
            .onErrorResume(ApiException.class, e -> Mono.just(refused(request, e)));
    }

    private HttpResponse<?> refused(HttpRequest<?> request, ApiException e) {
        throttle.refused(request, e);
        return ErrorBody.response(e);
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
        return slash > NAMED.length() && isRoomApi(path.substring(slash)) ? path.substring(NAMED.length(), slash) : null;
    }

    private static boolean isRoomApi(String path) {
        return path.equals("/messages") || path.startsWith("/messages/")
            || path.equals("/agents") || path.startsWith("/agents/")
            || path.equals("/room") || path.equals("/room/topic") || path.equals("/mcp");
    }

    @Override
    public int getOrder() {
        return 0;
    }
}
