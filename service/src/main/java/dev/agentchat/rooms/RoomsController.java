package dev.agentchat.rooms;

import dev.agentchat.agents.AgentsController;
import dev.agentchat.api.RoomsApi;
import dev.agentchat.api.model.AgentList;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.RoomAccess;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.auth.PasswordFilter;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.limits.ClientAddresses;
import dev.agentchat.limits.PasswordThrottle;
import dev.agentchat.messages.MessageOperations;
import dev.agentchat.stream.SseFrame;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.math.BigDecimal;
import java.util.function.Function;

/**
 * The {@code rooms} operations of the API document. The work runs off the event loop: checking a
 * password may compute a slow hash, and a Redis-backed room answers over the network.
 */
@Controller
public class RoomsController implements RoomsApi {
    private final RoomRegistry registry;
    private final MessageOperations operations;
    private final ClientAddresses addresses;
    private final PasswordThrottle throttle;

    public RoomsController(RoomRegistry registry, MessageOperations operations, ClientAddresses addresses,
                           PasswordThrottle throttle) {
        this.registry = registry;
        this.operations = operations;
        this.addresses = addresses;
        this.throttle = throttle;
    }

    @Override
    public Mono<HttpResponse<RoomAccess>> createRoom(String room) {
        HttpRequest<?> request = currentRequest();
        throttle.check(request);
        String password = request.getHeaders().get(PasswordFilter.HEADER);
        String creator = addresses.of(request);
        return throttled(request, Mono.fromCallable(() -> registry.createOrConfirm(room, password, creator)))
            .map(creation -> HttpResponse.status(creation.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new RoomAccess(creation.room().name(), creation.created())));
    }

    @Override
    public Mono<SendResult> sendRoomMessage(String room, NewMessage newMessage) {
        return inRoom(room, hosted -> operations.send(hosted.room(), hosted.presence(), newMessage));
    }

    @Override
    public Mono<MessageList> listRoomMessages(String room, @Nullable Long after, @Nullable Integer limit) {
        return inRoom(room, hosted -> operations.list(hosted.room(), after, limit));
    }

    @Override
    public Mono<PollResult> pollRoomMessages(String room, @Nullable Long after, @Nullable BigDecimal wait,
                                             @Nullable String agent, @Nullable String forName) {
        return inRoom(room, hosted -> operations.poll(hosted.room(), hosted.presence(), after, wait, agent, forName));
    }

    @Override
    public Flux<SseFrame> streamRoomMessages(String room, @Nullable String lastEventID, @Nullable Long after,
                                             @Nullable String agent, @Nullable String forName,
                                             @Nullable String events) {
        return open(room).flatMapMany(hosted ->
            operations.stream(hosted.room(), hosted.presence(), lastEventID, after, agent, forName, events));
    }

    @Override
    public Mono<AgentList> listRoomAgents(String room) {
        return inRoom(room, hosted -> Mono.just(AgentsController.list(registry.agents(hosted))));
    }

    private <T> Mono<T> inRoom(String room, Function<HostedRoom, Mono<T>> operation) {
        return open(room).flatMap(operation);
    }

    /**
     * The room, if the request's password (header, or query parameter when the header is absent)
     * opens it; what follows runs on the bounded-elastic scheduler.
     */
    private Mono<HostedRoom> open(String room) {
        HttpRequest<?> request = currentRequest();
        throttle.check(request);
        String header = request.getHeaders().get(PasswordFilter.HEADER);
        String password = header != null ? header : request.getParameters().get(PasswordFilter.QUERY);
        return throttled(request, Mono.fromCallable(() -> registry.open(room, password)));
    }

    /** Runs off the event loop; a wrong password counts against the client's address, as at the root. */
    private <T> Mono<T> throttled(HttpRequest<?> request, Mono<T> work) {
        return work.subscribeOn(Schedulers.boundedElastic())
            .doOnError(ApiException.class, e -> {
                if (e.error() == ApiError.INVALID_PASSWORD) {
                    throttle.failed(request);
                }
            });
    }

    private static HttpRequest<?> currentRequest() {
        return ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
    }
}
