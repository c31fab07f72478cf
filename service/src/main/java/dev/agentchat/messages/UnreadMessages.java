package dev.agentchat.messages;

import dev.agentchat.api.model.Message;
import dev.agentchat.error.ApiError;
import dev.agentchat.limits.LimitSettings;
import dev.agentchat.presence.Presence;
import dev.agentchat.room.AnswerBudget;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.HistoryQuery;
import dev.agentchat.room.Room;
import dev.agentchat.room.RoomSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * What an agent has not read in a room, by the room's {@link ReadCursors}: reading moves the cursor
 * past what was returned, so every front end that uses the cursor (the room's MCP tools, clients of
 * {@code /agents/{agent}/cursor}) agrees on what is unread.
 */
@Singleton
public class UnreadMessages {
    private final MessageOperations operations;
    private final MessageMapper mapper;
    private final LimitSettings limits;
    private final RoomSettings settings;

    public UnreadMessages(MessageOperations operations, MessageMapper mapper, LimitSettings limits, RoomSettings settings) {
        this.operations = operations;
        this.mapper = mapper;
        this.limits = limits;
        this.settings = settings;
    }

    /**
     * What one read answers.
     *
     * @param messages the unread messages one answer holds, marked read
     * @param more     whether more remain unread after them (the answer was full)
     */
    public record Unread(List<Message> messages, boolean more) {
    }

    /**
     * The id of the last message the agent has read, as its cursor of that kind was set; 0 when it has
     * read nothing (or the room restarted since).
     */
    public long cursor(Room room, ReadCursors cursors, String agent, boolean mentionsOnly) {
        return inRoom(room, cursors.get(agent, mentionsOnly).orElse(0));
    }

    /** A cursor beyond the room's newest message is one of the room before a restart: all of this one is unread. */
    private static long inRoom(Room room, long after) {
        return after > room.lastId() ? 0 : after;
    }

    /**
     * Where the agent has read this room to, if it has a cursor ({@link #inRoom}). Its mentions' cursor
     * never stands behind its cursor: a mention it read with everything else is read, and one posted
     * after that read is unread to a wait for mentions that comes later, not skipped by it. (The other
     * way round the two differ: a wait for mentions leaves what does not concern the agent unread for its reads.)
     */
    private static OptionalLong readTo(Room room, ReadCursors cursors, String agent, boolean mentionsOnly) {
        OptionalLong all = cursors.get(agent, false);
        OptionalLong mentions = mentionsOnly ? cursors.get(agent, true) : OptionalLong.empty();
        if (all.isEmpty() && mentions.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(inRoom(room, all.orElse(0)), inRoom(room, mentions.orElse(0))));
    }

    /**
     * Moves the agent's cursor as a client asks ({@code PUT cursor}): to a message the room has reached,
     * since one beyond it would read as a restarted room, whose whole history is unread.
     */
    public void setCursor(Room room, ReadCursors cursors, String agent, boolean mentionsOnly, long after) {
        long newest = room.lastId();
        if (after > newest) {
            throw ApiError.INVALID_FIELD.exception("Invalid field 'after': the room's newest message is #" + newest);
        }
        markRead(cursors, agent, mentionsOnly, after);
    }

    public void markRead(ReadCursors cursors, String agent, boolean mentionsOnly, long after) {
        if (after < 0) {
            throw ApiError.INVALID_FIELD.exception("Invalid field 'after': a message id from 0");
        }
        cursors.set(agent, mentionsOnly, after, limits.cursorsPerRoom());
    }

    /**
     * The unread messages (the room's whole history the first time), as many as one answer holds
     * ({@link RoomSettings#firstAnswer}) and at most {@code maxBytes} of their JSON, marked read.
     *
     * @param newest only the newest this many of them (0: none, just mark everything read); null for all
     */
    public Unread read(Room room, ReadCursors cursors, String agent, boolean mentionsOnly, @Nullable Integer newest,
                       long maxBytes) {
        long from = readTo(room, cursors, agent, mentionsOnly).orElse(0);
        long last = room.lastId();
        // only the newest few of everything unread: read just those, not the whole history
        List<ChatMessage> unread = newest != null && !mentionsOnly
            ? room.find(new HistoryQuery(from, Long.MAX_VALUE, newest, true, null, null))
            : room.after(from, Integer.MAX_VALUE).stream().filter(m -> !mentionsOnly || m.concerns(agent)).toList();
        if (newest != null && newest < unread.size()) {
            unread = unread.subList(unread.size() - newest, unread.size());
        }
        List<ChatMessage> answered = settings.firstAnswer(unread, maxBytes);
        boolean more = answered.size() < unread.size();
        markRead(cursors, agent, mentionsOnly, more ? answered.get(answered.size() - 1).id() : Math.max(from, last));
        return new Unread(mapper.toApi(answered), more);
    }

    /**
     * Where a wait keeps its place while the agent has no cursor (has never read): there, moving the
     * cursor past what the wait skipped would mark the unread history read.
     */
    public interface Place {
        /** The id of the last message a wait of this agent's went past, if one did. */
        OptionalLong get();

        void set(long after);
    }

    /**
     * Waits at most {@code hold} for unread messages from others and returns them, marked read; an
     * empty list when none came. The agent's own messages never end the wait and are not returned (it
     * knows them), but are marked read too. Without a cursor, only messages posted from now on count (or
     * from where an earlier such wait left {@code beforeFirstRead}), and the wait moves {@code beforeFirstRead},
     * not the cursor: the history before it stays unread for the first read.
     *
     * At most {@code maxBytes} of their JSON (always at least one): the rest stays unread, and the answer
     * says more remain.
     *
     * @param present whether the wait shows {@code agent} online and gives it a read receipt, as a poll
     *                under its name does (an observer's wait does neither)
     */
    public Mono<Unread> await(Room room, Presence presence, ReadCursors cursors, String agent, boolean present,
                              boolean holder, boolean mentionsOnly, Place beforeFirstRead, Duration hold, long maxBytes) {
        Listening listening = new Listening(agent, present ? agent : null, holder, maxBytes);
        long deadline = System.nanoTime() + hold.toNanos();
        OptionalLong read = readTo(room, cursors, agent, mentionsOnly);
        if (read.isPresent()) {
            return awaitFrom(room, presence, cursors, listening, mentionsOnly, read.getAsLong(),
                after -> markRead(cursors, agent, mentionsOnly, after), deadline);
        }
        long newest = room.lastId();
        long from = Math.min(beforeFirstRead.get().orElse(newest), newest);
        return awaitFrom(room, presence, cursors, listening, mentionsOnly, from, beforeFirstRead::set, deadline);
    }

    /**
     * Who waits ({@code agent}), under which name its polls listen (null: none), whether it holds that name,
     * and how much of the messages' JSON one answer holds.
     */
    private record Listening(String agent, @Nullable String as, boolean holder, long maxBytes) {
    }

    private Mono<Unread> awaitFrom(Room room, Presence presence, ReadCursors cursors, Listening listening,
                                   boolean mentionsOnly, long from, LongConsumer moveTo, long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        double seconds = (left / 1_000_000) / 1000.0;
        String agent = listening.agent();
        return operations.poll(room, presence, cursors, from, seconds, null, listening.as(), listening.holder(),
                mentionsOnly ? agent : null)
            .flatMap(result -> {
                List<Message> given = AnswerBudget.first(result.getMessages(), listening.maxBytes(), mapper::jsonLength);
                boolean more = given.size() < result.getMessages().size();
                long next = more ? given.get(given.size() - 1).getId() : result.getNext();
                moveTo.accept(next);
                List<Message> fromOthers = given.stream().filter(m -> !MessageView.isOwn(m.getAgent(), agent)).toList();
                if (!fromOthers.isEmpty()) {
                    return Mono.just(new Unread(fromOthers, more));
                }
                if (deadline - System.nanoTime() <= 0) {
                    return Mono.just(new Unread(List.of(), false));
                }
                return awaitFrom(room, presence, cursors, listening, mentionsOnly, next, moveTo, deadline);
            });
    }

}
