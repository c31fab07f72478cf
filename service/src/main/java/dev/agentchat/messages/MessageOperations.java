package dev.agentchat.messages;

import dev.agentchat.auth.Caller;
import dev.agentchat.presence.Presence;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.QueryParameters;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.limits.LimitSettings;
import dev.agentchat.limits.SendLimits;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Draft;
import dev.agentchat.room.HistoryQuery;
import dev.agentchat.room.Room;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.room.SentKeys;
import dev.agentchat.stream.EventStream;
import dev.agentchat.stream.RoomEvents;
import dev.agentchat.sse.SseFrame;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

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
    private final LimitSettings limits;
    private final PollExecutors pollExecutors;

    MessageOperations(RoomSettings settings, NewMessageValidator validator, MessageMapper mapper, EventStream events,
                      SendLimits sendLimits, ConnectionSlots slots, LimitSettings limits, PollExecutors pollExecutors) {
        this.limits = limits;
        this.pollExecutors = pollExecutors;
        this.settings = settings;
        this.validator = validator;
        this.mapper = mapper;
        this.events = events;
        this.sendLimits = sendLimits;
        this.slots = slots;
    }

    /**
     * Posts as {@code caller}: a name's holder posts under its name and kind, verified (an
     * {@code agent} field naming someone else is refused). {@code admit} may refuse the draft
     * (a name held by another, muted or kicked) before anything is counted or stored.
     */
    public Mono<SendResult> send(Room room, Presence presence, Caller caller, @Nullable NewMessage newMessage,
                                 Consumer<Draft> admit) {
        if (newMessage == null) {
            throw ApiError.INVALID_JSON.exception();
        }
        if (caller.readOnly()) {
            throw ApiError.READ_ONLY.exception();
        }
        Draft draft = validator.validate(newMessage);
        if (caller.verified()) {
            if (newMessage.getAgent() != null && !newMessage.getAgent().equalsIgnoreCase(caller.name())) {
                throw ApiError.INVALID_FIELD.exception("This token holds the name '" + caller.name()
                    + "': post without 'agent' or with that name");
            }
            draft = new Draft(caller.name(), draft.text(), draft.to(), draft.replyTo(), caller.kind(), true,
                draft.ackRequested(), draft.key());
        }
        ChatMessage earlier = draft.key() == null ? null : room.sent(draft.agent(), draft.key());
        if (earlier != null) {
            // sent again (its answer was lost): the first one's answer, nothing stored or counted again
            SentKeys.requireSameText(earlier, draft);
            return Mono.just(new SendResult(true, mapper.toApi(earlier)));
        }
        if (draft.replyTo() != null && draft.replyTo() > room.lastId()) {
            // a reply to a message that does not exist yet answers nothing anyone can see
            throw ApiError.INVALID_FIELD.exception("'reply_to' is #" + draft.replyTo()
                + ", a message this room does not have (its newest is #" + room.lastId() + ")");
        }
        admit.accept(draft);
        sendLimits.sent(draft.agent());
        // before the post: a room that cannot remember one more agent refuses the message, not loses it
        presence.spoke(draft.agent(), caller.verified());
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

    /**
     * @param cursors where the listening agent's read receipt is kept (moved to the newest message it is given)
     * @param holder  whether {@code agent} is the name's verified holder (never refused for a full room)
     * @param limit   at most this many messages, the oldest after {@code after} (null: as many as an answer holds)
     */
    public Mono<PollResult> poll(Room room, Presence presence, ReadCursors cursors, @Nullable Long after,
                                 @Nullable Double wait, @Nullable Integer limit, @Nullable String agent,
                                 boolean holder, @Nullable String forName) {
        long from = MessageQuery.after("after", after);
        int most = MessageQuery.limit(limit);
        Duration hold = holdFor(wait);
        String filter = MessageQuery.name("for", forName);
        String listening = MessageQuery.name("agent", agent);
        ConnectionSlots.Slot slot = hold.isZero() ? () -> { } : slots.startPoll();
        Presence.Listener listener;
        try {
            listener = presence.polled(listening, holder);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        return new LongPoll(room, filter, slots, pollExecutors, found -> {
            List<ChatMessage> answer = settings.firstAnswer(found);
            return answer.size() > most ? answer.subList(0, most) : answer;
        }).poll(from, hold)
            .map(result -> {
                List<ChatMessage> given = result.messages();
                // the receipt reaches what the answer gives, not its cursor: a wait from the newest message
                // has given nothing of the history before it
                if (listening != null && !given.isEmpty()) {
                    cursors.seen(listening, given.get(given.size() - 1).id(), limits.cursorsPerRoom());
                }
                return new PollResult(mapper.toApi(result.messages()), result.next());
            })
            .doFinally(signal -> {
                listener.close();
                slot.close();
            });
    }

    /**
     * @param cursors       where the listening agent's read receipt is kept (moved as messages are sent to it)
     * @param roomEvents    the room's coordination and moderation events, sent when asked for ({@code events})
     * @param acks          the room's acknowledgements of messages, so a replay carries them as they are now
     */
    public Flux<SseFrame> stream(Room room, Presence presence, ReadCursors cursors, @Nullable String lastEventID,
                                 @Nullable Long after, @Nullable String agent, boolean holder, @Nullable String forName,
                                 @Nullable String extraEvents, RoomEvents roomEvents,
                                 Function<Collection<Long>, Map<Long, List<String>>> acks) {
        long from = lastEventID != null && !lastEventID.isBlank()
            ? MessageQuery.lastEventId(lastEventID)
            : after == null ? -1 : MessageQuery.after("after", after);
        String listening = MessageQuery.name("agent", agent);
        String filter = MessageQuery.name("for", forName);
        ConnectionSlots.Slot slot = slots.openStream();
        try {
            LongConsumer seen = listening == null ? id -> { } : id -> cursors.seen(listening, id, limits.cursorsPerRoom());
            return events.stream(room, presence, from, listening, holder, filter, extraEvents, seen, roomEvents,
                    replay -> mapper.withAcks(replay, acks))
                .doFinally(signal -> slot.close());
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /** How long a poll waits: {@code wait} seconds, at most the server's longest ({@code agent-chat.max-wait}). */
    private Duration holdFor(@Nullable Double wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        if (!(wait >= 0)) { // NaN too
            throw QueryParameters.invalid("wait");
        }
        // a cast takes a wait too long for a long (Infinity too) to Long.MAX_VALUE
        return Duration.ofMillis(Math.min((long) (wait * 1000), settings.maxWait().toMillis()));
    }
}
