package dev.agentchat.hosting;

import dev.agentchat.api.RoomsApi;
import dev.agentchat.api.model.RoomAccess;
import dev.agentchat.api.model.RoomList;
import dev.agentchat.api.model.RoomSummary;
import dev.agentchat.auth.Caller;
import dev.agentchat.auth.HostKey;
import dev.agentchat.auth.RoomPassword;
import dev.agentchat.transport.HeaderText;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.limits.ClientAddresses;
import dev.agentchat.limits.PasswordThrottle;
import dev.agentchat.messages.Timestamps;
import dev.agentchat.transport.PublicUrl;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code rooms} operations of the API document: listing the named rooms (the host), creating
 * one, and ending one (the host). They run off the event loop: creating computes a slow hash, and a Redis-backed store answers
 * over the network. Everything else a room
 * does is in {@link RoomController}.
 */
@Controller
public class RoomsController implements RoomsApi {
    /** A bearer key that is not the server's host key, where only the host key is taken. */
    private static final String NOT_THE_HOST_KEY = "Invalid token: not the host key serve printed";

    private final RoomRegistry registry;
    private final ClientAddresses addresses;
    private final PasswordThrottle throttle;
    private final HostKey hostKey;
    private final RoomStore store;
    private final PublicUrl publicUrl;

    public RoomsController(RoomRegistry registry, ClientAddresses addresses, PasswordThrottle throttle, HostKey hostKey,
                           RoomStore store, PublicUrl publicUrl) {
        this.registry = registry;
        this.publicUrl = publicUrl;
        this.store = store;
        this.addresses = addresses;
        this.throttle = throttle;
        this.hostKey = hostKey;
    }

    @Override
    public Mono<RoomList> listRooms() {
        HttpRequest<?> request = ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
        String key = Caller.bearer(request);
        return Mono.fromCallable(() -> {
                requireHost(request, key);
                return new RoomList(store.list().stream().map(RoomsController::summary).toList());
            })
            .subscribeOn(Schedulers.boundedElastic())
            .doOnError(ApiException.class, e -> throttle.refused(request, e));
    }

    /** Ends the room as {@link RoomController#endRoom} does, at the URL that created it; the host key is checked first. */
    @Override
    public Mono<HttpResponse<Void>> deleteRoom(String room) {
        HttpRequest<?> request = ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
        String key = Caller.bearer(request);
        return Mono.<HttpResponse<Void>>fromCallable(() -> {
                requireHost(request, key);
                registry.end(registry.openTrusted(room));
                return HttpResponse.<Void>noContent();
            })
            .subscribeOn(Schedulers.boundedElastic())
            .doOnError(ApiException.class, e -> throttle.refused(request, e));
    }

    /** Refuses all but the host: no key is {@code host_only}, another key {@code invalid_token} (throttled as a wrong password). */
    private void requireHost(HttpRequest<?> request, @Nullable String key) {
        if (key == null) {
            throw ApiError.HOST_ONLY.exception();
        }
        throttle.check(request);
        if (!hostKey.matches(key)) {
            throw ApiError.INVALID_TOKEN.exception(NOT_THE_HOST_KEY);
        }
    }

    private static RoomSummary summary(RoomStore.Listing room) {
        return new RoomSummary(room.name(), Timestamps.utc(room.createdAt()), Timestamps.utc(room.expiresAt()));
    }

    @Override
    public Mono<HttpResponse<RoomAccess>> createRoom(String room, @Nullable String xObserverPassword) {
        HttpRequest<?> request = ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
        String password = HeaderText.utf8(request.getHeaders().get(RoomPassword.HEADER));
        // read as the room password is, so a password beyond ASCII opens the room as it was given
        String observerPassword = HeaderText.utf8(xObserverPassword);
        String creator = addresses.of(request);
        String key = Caller.bearer(request);
        // off the event loop from the throttle on: a shared throttle asks Redis
        return Mono.fromCallable(() -> {
                throttle.check(request);
                if (key != null && !hostKey.matches(key)) {
                    throw ApiError.INVALID_TOKEN.exception(NOT_THE_HOST_KEY);
                }
                return registry.createOrConfirm(room, password, creator, key != null, observerPassword);
            })
            .subscribeOn(Schedulers.boundedElastic())
            .doOnError(ApiException.class, e -> throttle.refused(request, e))
            .map(creation -> HttpResponse.status(creation.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new RoomAccess(creation.room().name(), creation.created())
                    .url(publicUrl.of(request) + RoomAccessFilter.basePath(creation.room().name()))));
    }
}
