package dev.agentchat.cli.follow;

import io.micronaut.core.annotation.Nullable;

/**
 * One Server-Sent Event; {@code event} is {@code message} when the server named none (the original server).
 *
 * @param id    the event id, when the server sends ids
 * @param event the event name ({@link #MESSAGE}, {@link #TRUNCATED}, ...)
 * @param data  the data lines joined by newlines
 */
public record SseEvent(@Nullable String id, String event, String data) {
    public static final String MESSAGE = "message";
    public static final String TRUNCATED = "truncated";
}
