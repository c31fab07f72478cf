package dev.agentchat.room;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/** A validated message about to be posted: the room gives it an id and a timestamp. */
public record Draft(String agent, String text, List<String> to, @Nullable Long replyTo, boolean ackRequested) {

    /** A message that asks for no acknowledgement. */
    public Draft(String agent, String text, List<String> to, @Nullable Long replyTo) {
        this(agent, text, to, replyTo, false);
    }
}
