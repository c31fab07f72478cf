package dev.agentchat.room;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A validated message about to be posted: the room gives it an id and a timestamp.
 *
 * @param kind     {@code agent} or {@code human}
 * @param verified whether the sender holds the name (posted with its token)
 * @param ackRequested whether the sender asks for acknowledgements
 */
public record Draft(String agent, String text, List<String> to, @Nullable Long replyTo, String kind, boolean verified,
                    boolean ackRequested) {
    public static final String AGENT = "agent";
    public static final String HUMAN = "human";

    /** An unverified agent's message. */
    public Draft(String agent, String text, List<String> to, @Nullable Long replyTo) {
        this(agent, text, to, replyTo, AGENT, false, false);
    }
}
