package dev.agentchat.cli.client;

import dev.agentchat.client.model.Message;
import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * How far a reader got: the id of the last message it saw (or the poll cursor), and a message it
 * saw at or before it with that message's timestamp, which tells a restarted server (ids start
 * again at 1) from the same room. That message is the cursor's own when the reader was given it;
 * a cursor moved past messages the reader was not given (a poll for its mentions alone, the
 * {@code next} of an empty poll) keeps the last one it was given.
 *
 * @param after  pass as {@code after}: everything newer is unseen
 * @param anchor the message the room is checked against; null when none is known
 */
public record Checkpoint(long after, @Nullable Anchor anchor) {
    public static final Checkpoint START = new Checkpoint(0, null);

    /** A message a reader saw: its id and its timestamp. */
    public record Anchor(long id, OffsetDateTime timestamp) {
    }

    public static Checkpoint of(Message message) {
        return new Checkpoint(message.getId(), anchorOf(message));
    }

    /** The message as an anchor; null without an id or a timestamp (the original server's). */
    @Nullable
    static Anchor anchorOf(Message message) {
        return message.getId() == null || message.getTimestamp() == null ? null
            : new Anchor(message.getId(), message.getTimestamp());
    }

    /** A cursor with no message to check it against. */
    public static Checkpoint at(long after) {
        return new Checkpoint(after, null);
    }

    /** This cursor moved on to {@code next}, past messages the reader was not given: the room is still checked against its anchor. */
    public Checkpoint movedTo(long next) {
        return new Checkpoint(next, anchor);
    }

    /**
     * The later of two checkpoints of one reader, {@code b} when they stand level. When their anchors show
     * two rooms (ids and times in opposite orders, or one id at two times: a restarted server), the one
     * whose anchor is newer is the room's now, whatever its {@code after}.
     */
    public static Checkpoint later(Checkpoint a, Checkpoint b) {
        if (a.checkable() && b.checkable()) {
            int byId = Long.compare(a.anchor.id(), b.anchor.id());
            int byTime = a.anchor.timestamp().toInstant().compareTo(b.anchor.timestamp().toInstant());
            // one id at two times, or ids and times in opposite orders
            if (byTime != 0 && Integer.signum(byId) != Integer.signum(byTime)) {
                return byTime > 0 ? a : b;
            }
        }
        return a.after > b.after ? a : b;
    }

    /** The timestamp of message {@link #after}, when the reader saw it. */
    @Nullable
    public OffsetDateTime timestamp() {
        return anchor != null && anchor.id() == after ? anchor.timestamp() : null;
    }

    /** Whether there is a message to check this checkpoint against (a restarted server reuses ids). */
    public boolean checkable() {
        return anchor != null && anchor.id() > 0;
    }

    /** The {@code after} to ask the room from, so that its first message is the anchor's id ({@link #sameRoom}). */
    public long checkFrom() {
        return checkable() ? anchor.id() - 1 : after;
    }

    /**
     * Whether the room is still the one this checkpoint was taken in, judged by {@code first}, the
     * first message it retains from the anchor's id on (asked for after {@link #checkFrom}; null when it
     * has none): the same room when that is the anchor's message with its timestamp, or a later one
     * (the anchor's message has been dropped from the history); a restarted server when it is another
     * message with that id or there is none (the room has fewer messages than before).
     */
    public boolean sameRoom(@Nullable Message first) {
        if (!checkable()) {
            return true;
        }
        if (first == null) {
            return false;
        }
        return first.getId() == null || first.getId() != anchor.id() || anchor.timestamp().isEqual(first.getTimestamp());
    }

    /**
     * The messages of {@code fromAnchor} newer than this checkpoint, where {@code fromAnchor} are the
     * retained messages from the anchor's on (asked for after {@link #checkFrom}): a read that checks the
     * room on the way. Nothing when they show another room ({@link #sameRoom}).
     */
    public Optional<List<Message>> newerIn(List<Message> fromAnchor) {
        if (!sameRoom(fromAnchor.isEmpty() ? null : fromAnchor.get(0))) {
            return Optional.empty();
        }
        return Optional.of(fromAnchor.stream().filter(message -> message.getId() > after).toList());
    }
}
