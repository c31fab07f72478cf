package dev.agentchat.messages;

import dev.agentchat.auth.Caller;
import dev.agentchat.presence.Presence;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.limits.SendLimits;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Draft;
import dev.agentchat.room.HistoryQuery;
import dev.agentchat.room.Room;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.stream.EventStream;
import dev.agentchat.sse.SseFrame;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * The messages operations on any room: the server's own room at the root paths and every named
 * room under {@code /rooms/{room}} answer through the same code.
 */
@Singleton
public class MessageOperations {
    private final RoomSettings settings;
    private final NewMessageValidator validator;
    private final MessageMapper mapper;
    private final EventStream events;
    private final SendLimits sendLimits;
    private final ConnectionSlots slots;

    public MessageOperations(RoomSettings settings, NewMessageValidator validator, MessageMapper mapper,
                             EventStream events, SendLimits sendLimits, ConnectionSlots slots) {
        this.settings = settings;
        this.validator = validator;
        this.mapper = mapper;
        this.events = events;
        this.sendLimits = sendLimits;
        this.slots = slots;
    }

    /** Posts as {@code caller}: a name's holder posts under its name and kind, verified. */
    public Mono<SendResult> send(Room room, Presence presence, Caller caller, @Nullable NewMessage newMessage) {
        if (newMessage == null) {
            throw ApiError.INVALID_JSON.exception();
        }
        Draft draft = validator.validate(newMessage);
        if (caller.verified()) {
            draft = new Draft(caller.name(), draft.text(), draft.to(), draft.replyTo(), caller.kind(), true);
        }
        sendLimits.sent(draft.agent());
        // before the post: a room that cannot remember one more agent refuses the message, not loses it
        presence.spoke(draft.agent());
        ChatMessage posted = room.post(draft);
        SendResult result = new SendResult(true, mapper.toApi(posted));
        Mono<Void> delivered = room.delivered(posted.id());
        return delivered == Mono.<Void>empty() ? Mono.just(result) : delivered.thenReturn(result);
    }

    /**
     * A page of the retained history, or a search through it ({@code listMessages}): {@code limit}
     * keeps the newest of the selection unless only {@code after} is given.
     */
    public Mono<MessageList> list(Room room, @Nullable Long after, @Nullable Long before, @Nullable Integer limit,
                                  @Nullable String q, @Nullable String agent) {
        HistoryQuery query = MessageQuery.history(after, before, limit, q, agent);
        return Mono.just(new MessageList(mapper.toApi(room.find(query))));
    }

    public Mono<PollResult> poll(Room room, Presence presence, @Nullable Long after, @Nullable BigDecimal wait,
                                 @Nullable String agent, @Nullable String forName) {
        long from = MessageQuery.after("after", after);
        Duration hold = holdFor(wait);
        String filter = MessageQuery.name("for", forName);
        String listening = MessageQuery.name("agent", agent);
        ConnectionSlots.Slot slot = hold.isZero() ? () -> { } : slots.startPoll();
        Presence.Listener listener;
        try {
            listener = presence.polled(listening);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        LongPoll longPoll = new LongPoll(room, filter);
        // at shutdown a waiting poll answers with what there is instead of being cut off
        return Mono.firstWithSignal(longPoll.poll(from, hold), slots.closing().then(longPoll.poll(from, Duration.ZERO)))
            .map(result -> new PollResult(mapper.toApi(result.messages()), result.next()))
            .doFinally(signal -> {
                listener.close();
                slot.close();
            });
    }

    public Flux<SseFrame> stream(Room room, Presence presence, @Nullable String lastEventID, @Nullable Long after,
                                 @Nullable String agent, @Nullable String forName, @Nullable String extraEvents) {
        long from = lastEventID != null && !lastEventID.isBlank()
            ? MessageQuery.lastEventId(lastEventID)
            : after == null ? -1 : MessageQuery.after("after", after);
        String listening = MessageQuery.name("agent", agent);
        String filter = MessageQuery.name("for", forName);
        ConnectionSlots.Slot slot = slots.openStream();
        try {
            return events.stream(room, presence, from, listening, filter, extraEvents).doFinally(signal -> slot.close());
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    private Duration holdFor(@Nullable BigDecimal wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        if (wait.signum() < 0) {
            throw ApiError.INVALID_PARAMETER.exception("Invalid value for parameter 'wait'");
        }
        long millis = wait.min(BigDecimal.valueOf(settings.maxWait().toMillis() / 1000.0)).movePointRight(3).longValue();
        return Duration.ofMillis(Math.min(millis, settings.maxWait().toMillis()));
    }
}
