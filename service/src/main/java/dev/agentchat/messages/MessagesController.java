package dev.agentchat.messages;

import dev.agentchat.agents.Presence;
import dev.agentchat.api.MessagesApi;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.room.Room;
import dev.agentchat.stream.SseFrame;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;

/** The {@code messages} operations of the API document, on the server's own room. */
@Controller
public class MessagesController implements MessagesApi {
    private final Room room;
    private final Presence presence;
    private final MessageOperations operations;

    public MessagesController(Room room, Presence presence, MessageOperations operations) {
        this.room = room;
        this.presence = presence;
        this.operations = operations;
    }

    @Override
    public Mono<SendResult> sendMessage(NewMessage newMessage) {
        return operations.send(room, presence, newMessage);
    }

    @Override
    public Mono<MessageList> listMessages(@Nullable Long after, @Nullable Integer limit) {
        return operations.list(room, after, limit);
    }

    @Override
    public Mono<PollResult> pollMessages(@Nullable Long after, @Nullable BigDecimal wait, @Nullable String agent,
                                         @Nullable String forName) {
        return operations.poll(room, presence, after, wait, agent, forName);
    }

    @Override
    public Flux<SseFrame> streamMessages(@Nullable String lastEventID, @Nullable Long after, @Nullable String agent,
                                         @Nullable String forName, @Nullable String extraEvents) {
        return operations.stream(room, presence, lastEventID, after, agent, forName, extraEvents);
    }
}
