package dev.agentchat.messages;

import dev.agentchat.agents.Presence;
import dev.agentchat.api.MessagesApi;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.limits.SendLimits;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Draft;
import dev.agentchat.room.Room;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.stream.EventStream;
import dev.agentchat.stream.SseFrame;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** The {@code messages} operations of the API document. */
@Controller
public class MessagesController implements MessagesApi {
    private final Room room;
    private final RoomSettings settings;
    private final NewMessageValidator validator;
    private final MessageMapper mapper;
    private final EventStream events;
    private final Presence presence;
    private final SendLimits sendLimits;
    private final ConnectionSlots slots;

    public MessagesController(Room room, RoomSettings settings, NewMessageValidator validator, MessageMapper mapper,
                              EventStream events, Presence presence, SendLimits sendLimits, ConnectionSlots slots) {
        this.sendLimits = sendLimits;
        this.slots = slots;
        this.room = room;
        this.settings = settings;
        this.validator = validator;
        this.mapper = mapper;
        this.events = events;
        this.presence = presence;
    }

    @Override
    public Mono<SendResult> sendMessage(NewMessage newMessage) {
        if (newMessage == null) {
            throw ApiError.INVALID_JSON.exception();
        }
        Draft draft = validator.validate(newMessage);
        sendLimits.sent(draft.agent());
        ChatMessage posted = room.post(draft);
        presence.spoke(draft.agent());
        return Mono.just(new SendResult(true, mapper.toApi(posted)));
    }

    @Override
    public Mono<MessageList> listMessages(@Nullable Long after, @Nullable Integer limit) {
        long from = Cursor.after("after", after);
        if (limit != null && limit < 1) {
            throw ApiError.INVALID_PARAMETER.exception("Invalid value for parameter 'limit'");
        }
        List<ChatMessage> messages = room.after(from, limit == null ? Integer.MAX_VALUE : limit);
        return Mono.just(new MessageList(mapper.toApi(messages)));
    }

    @Override
    public Mono<PollResult> pollMessages(@Nullable Long after, @Nullable BigDecimal wait, @Nullable String agent,
                                         @Nullable String forName) {
        long from = Cursor.after("after", after);
        Duration hold = holdFor(wait);
        String filter = Cursor.name("for", forName);
        String listening = Cursor.name("agent", agent);
        ConnectionSlots.Slot slot = hold.isZero() ? () -> { } : slots.startPoll();
        Presence.Listener listener = presence.polled(listening);
        LongPoll longPoll = new LongPoll(room, filter);
        // at shutdown a waiting poll answers with what there is instead of being cut off
        return Mono.firstWithSignal(longPoll.poll(from, hold), slots.closing().then(longPoll.poll(from, Duration.ZERO)))
            .map(result -> new PollResult(mapper.toApi(result.messages()), result.next()))
            .doFinally(signal -> {
                listener.close();
                slot.close();
            });
    }

    @Override
    public Flux<SseFrame> streamMessages(@Nullable String lastEventID, @Nullable Long after, @Nullable String agent,
                                         @Nullable String forName, @Nullable String extraEvents) {
        long from = lastEventID != null && !lastEventID.isBlank()
            ? Cursor.lastEventId(lastEventID)
            : after == null ? -1 : Cursor.after("after", after);
        String listening = Cursor.name("agent", agent);
        String filter = Cursor.name("for", forName);
        ConnectionSlots.Slot slot = slots.openStream();
        return events.stream(from, listening, filter, extraEvents).doFinally(signal -> slot.close());
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
