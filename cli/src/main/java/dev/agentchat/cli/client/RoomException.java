package dev.agentchat.cli.client;

import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;

/** A failure talking to a room, already phrased for people; {@link Kind} says what sort it is. */
public class RoomException extends RuntimeException {
    /** What went wrong. */
    public enum Kind {
        /** 401: the room password is wrong. */
        INVALID_PASSWORD,
        /** The server answered with an error (bad message, too large, rate limited, server error). */
        REJECTED,
        /** The server does not offer this (an older agent-chat server). */
        UNSUPPORTED,
        /** The server could not be reached, or answered 503: it is shutting down or full, try again later. */
        UNREACHABLE,
        /** The URL cannot be used. */
        INVALID_URL,
        /** The server answered something that is not agent-chat. */
        PROTOCOL
    }

    private final Kind kind;
    private final int status;
    @Nullable
    private final String code;
    @Nullable
    private final Long limit;
    @Nullable
    private final OffsetDateTime blockedUntil;

    public RoomException(Kind kind, int status, String message) {
        this(kind, status, message, null, null);
    }

    /**
     * @param code  the server's error code ({@code message_too_large}), when it gave one
     * @param limit the limit the server said was exceeded, when it gave one
     */
    public RoomException(Kind kind, int status, String message, @Nullable String code, @Nullable Long limit) {
        this(kind, status, message, code, limit, null);
    }

    /** @param blockedUntil until when the name is blocked ({@code kicked}), when the server said */
    public RoomException(Kind kind, int status, String message, @Nullable String code, @Nullable Long limit,
                         @Nullable OffsetDateTime blockedUntil) {
        this(kind, status, message, code, limit, blockedUntil, null);
    }

    /** A request that got no answer ({@link Kind#UNREACHABLE}), with why: its {@code cause}. */
    public RoomException(String message, Throwable cause) {
        this(Kind.UNREACHABLE, 0, message, null, null, null, cause);
    }

    private RoomException(Kind kind, int status, String message, @Nullable String code, @Nullable Long limit,
                          @Nullable OffsetDateTime blockedUntil, @Nullable Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.limit = limit;
        this.blockedUntil = blockedUntil;
    }

    /** Until when the name is blocked after the host kicked it ({@code kicked}), when the server said. */
    @Nullable
    public OffsetDateTime blockedUntil() {
        return blockedUntil;
    }

    /**
     * Whether the server refused for want of the operation as such: an unknown path or method (no
     * catalogue code, or the catalogue's own for them), or a method it does not implement at all (501).
     */
    public boolean unknownOperation() {
        boolean unknownPath = code == null || code.equals("not_found") || code.equals("method_not_allowed");
        return (status == 404 || status == 405 || status == 501) && unknownPath;
    }

    @Nullable
    public String code() {
        return code;
    }

    @Nullable
    public Long limit() {
        return limit;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
