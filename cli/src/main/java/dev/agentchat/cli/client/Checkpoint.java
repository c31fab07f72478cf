package dev.agentchat.cli.client;

import dev.agentchat.client.model.Message;
import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * How far a reader got: the id of the last message it saw (or the poll cursor) and that message's
 * timestamp, which tells a restarted server (ids start again at 1) from the same room.
 *
 * @param after     pass as {@code after}: everything newer is unseen
 * @param timestamp the timestamp of message {@code after}, when known
 */
public record Checkpoint(long after, @Nullable OffsetDateTime timestamp) {
    public static final Checkpoint START = new Checkpoint(0, null);

    public static Checkpoint of(Message message) {
        return new Checkpoint(message.getId(), message.getTimestamp());
    }

    /** Whether there is a message to check this checkpoint against (a restarted server reuses ids). */
    public boolean checkable() {
        return after > 0 && timestamp != null;
    }

    /**
     * Whether the room is still the one this checkpoint was taken in, judged by {@code first}, the
     * first message it retains from id {@link #after} on (null when it has none): the same room when
     * that is the checkpoint's message with its timestamp, or a later one (the checkpoint's message
     * has been dropped from the history); a restarted server when it is another message with that id
     * or there is none (the room has fewer messages than before).
     */
    public boolean sameRoom(@Nullable Message first) {
        if (!checkable()) {
            return true;
        }
        if (first == null) {
            return false;
        }
        return first.getId() == null || first.getId() != after || timestamp.isEqual(first.getTimestamp());
    }

    /**
     * The messages of {@code fromOwn} newer than this checkpoint, where {@code fromOwn} are the
     * retained messages from the checkpoint's own one on (asked for after {@code after - 1}): a read
     * that checks the room on the way. Nothing when they show another room ({@link #sameRoom}).
     */
    public Optional<List<Message>> newerIn(List<Message> fromOwn) {
        if (!sameRoom(fromOwn.isEmpty() ? null : fromOwn.get(0))) {
            return Optional.empty();
        }
        return Optional.of(fromOwn.stream().filter(message -> message.getId() > after).toList());
    }

    /** A cursor with no message to check it against (e.g. the {@code next} of an empty poll). */
    public static Checkpoint at(long after) {
        return new Checkpoint(after, null);
    }
}
