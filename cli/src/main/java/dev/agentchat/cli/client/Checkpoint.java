package dev.agentchat.cli.client;

import dev.agentchat.client.model.Message;
import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;

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

    /** A cursor with no message to check it against (e.g. the {@code next} of an empty poll). */
    public static Checkpoint at(long after) {
        return new Checkpoint(after, null);
    }
}
