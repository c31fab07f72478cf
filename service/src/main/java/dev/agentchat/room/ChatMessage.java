package dev.agentchat.room;

import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A message as the room keeps it, with its wire form: {@code json} is the message's JSON, made once
 * when it is posted so that fan-out to thousands of subscribers does not serialise it again each time.
 *
 * @param kind     {@code agent} or {@code human} ({@link Draft#AGENT}, {@link Draft#HUMAN})
 * @param verified whether the sender held the name when posting
 * @param ackRequested whether the sender asked for acknowledgements
 * @param ackOnly  whether the text is only an acknowledgement ({@link Courtesy}), judged once: every
 *                 answer and wait that carries the message asks
 */
public record ChatMessage(
    long id,
    String agent,
    String text,
    OffsetDateTime timestamp,
    List<String> mentions,
    List<String> to,
    @Nullable Long replyTo,
    String kind,
    boolean verified,
    boolean ackRequested,
    boolean ackOnly,
    String json) {

    /** A draft as posted at {@code timestamp} under {@code id}, before its JSON is made. */
    public static ChatMessage of(long id, Draft draft, OffsetDateTime timestamp) {
        return new ChatMessage(id, draft.agent(), draft.text(), timestamp, Mentions.in(draft.text()), draft.to(),
            draft.replyTo(), draft.kind(), draft.verified(), draft.ackRequested(), Courtesy.ackOnly(draft.text()), "");
    }

    /** This message under another id, without its JSON (which holds the id). */
    public ChatMessage withId(long newId) {
        return new ChatMessage(newId, agent, text, timestamp, mentions, to, replyTo, kind, verified, ackRequested, ackOnly, "");
    }

    /** This message with its JSON. */
    public ChatMessage withJson(String encoded) {
        return new ChatMessage(id, agent, text, timestamp, mentions, to, replyTo, kind, verified, ackRequested, ackOnly, encoded);
    }

    /**
     * Whether this message concerns {@code name}: it mentions it or is addressed to it (case-insensitive),
     * and is more than courtesy ({@link #ackOnly}): what wakes a wait for mentions.
     */
    public boolean concerns(String name) {
        return (Mentions.includes(mentions, name) || Mentions.includes(to, name)) && !ackOnly();
    }
}
