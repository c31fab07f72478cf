package dev.agentchat.room;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A validated message about to be posted: the room gives it an id and a timestamp.
 *
 * @param kind     {@code agent} or {@code human}
 * @param verified whether the sender holds the name (posted with its token)
 * @param ackRequested whether the sender asks for acknowledgements
 * @param key      the sender's own key for the message ({@code idempotency_key}), or null: a message
 *                 posted again under the same name and key is the first one ({@link SentKeys})
 */
public record Draft(String agent, String text, List<String> to, @Nullable Long replyTo, String kind, boolean verified,
                    boolean ackRequested, @Nullable String key) {
    public static final String AGENT = "agent";
    public static final String HUMAN = "human";

    /** A message without the sender's key ({@code idempotency_key}). */
    public Draft(String agent, String text, List<String> to, @Nullable Long replyTo, String kind, boolean verified,
                 boolean ackRequested) {
        this(agent, text, to, replyTo, kind, verified, ackRequested, null);
    }

    /** An unverified agent's message. */
    public Draft(String agent, String text, List<String> to, @Nullable Long replyTo) {
        this(agent, text, to, replyTo, AGENT, false, false);
    }
}
