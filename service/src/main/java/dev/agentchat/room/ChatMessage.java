package dev.agentchat.room;

import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A message as the room keeps it, with its wire form: {@code json} is the message's JSON, made once
 * when it is posted so that fan-out to thousands of subscribers does not serialise it again each time.
 */
public record ChatMessage(
    long id,
    String agent,
    String text,
    OffsetDateTime timestamp,
    List<String> mentions,
    List<String> to,
    @Nullable Long replyTo,
    boolean ackRequested,
    String json) {

    /**
     * Whether this message concerns {@code name}: it mentions it or is addressed to it (case-insensitive),
     * and is more than courtesy ({@link #ackOnly()}): what wakes a wait for mentions.
     */
    public boolean concerns(String name) {
        return (Mentions.includes(mentions, name) || Mentions.includes(to, name)) && !ackOnly();
    }

    /** Whether the text is only an acknowledgement ({@link Courtesy}). */
    public boolean ackOnly() {
        return Courtesy.ackOnly(text);
    }

    /** The same message with its wire form. */
    public ChatMessage withJson(String json) {
        return new ChatMessage(id, agent, text, timestamp, mentions, to, replyTo, ackRequested, json);
    }
}
