package dev.agentchat.messages;

import dev.agentchat.api.MessagesApi;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.rooms.HostedRoom;
import dev.agentchat.rooms.RoomStore;
import dev.agentchat.stream.SseFrame;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * The {@code messages} operations of the API document, on the server's own room. When that room is
 * in Redis, the work runs off the event loop, as for the named rooms.
 */
@Controller
public class MessagesController implements MessagesApi {
    private final HostedRoom server;
    private final boolean remote;
    private final MessageOperations operations;

    public MessagesController(RoomStore rooms, MessageOperations operations) {
        this.server = rooms.serverRoom();
        this.remote = rooms.remote();
        this.operations = operations;
    }

    @Override
    public Mono<SendResult> sendMessage(NewMessage newMessage) {
        return Mono.from(offload(() -> operations.send(server.room(), server.presence(), newMessage)));
    }

    @Override
    public Mono<MessageList> listMessages(@Nullable Long after, @Nullable Integer limit) {
        return Mono.from(offload(() -> operations.list(server.room(), after, limit)));
    }

    @Override
    public Mono<PollResult> pollMessages(@Nullable Long after, @Nullable BigDecimal wait, @Nullable String agent,
                                         @Nullable String forName) {
        return Mono.from(offload(() -> operations.poll(server.room(), server.presence(), after, wait, agent, forName)));
    }

    @Override
    public Flux<SseFrame> streamMessages(@Nullable String lastEventID, @Nullable Long after, @Nullable String agent,
                                         @Nullable String forName, @Nullable String extraEvents) {
        return Flux.from(offload(() -> operations.stream(server.room(), server.presence(), lastEventID, after, agent,
            forName, extraEvents)));
    }

    /** In memory the operation runs where it is called; over the network it starts on the bounded-elastic scheduler. */
    private <T> Publisher<T> offload(Supplier<? extends Publisher<T>> operation) {
        if (!remote) {
            return operation.get();
        }
        return Flux.defer(operation).subscribeOn(Schedulers.boundedElastic());
    }
}
