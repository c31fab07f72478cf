package dev.agentchat.error;

import dev.agentchat.auth.RoomPassword;
import io.micronaut.http.HttpStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Every error the API answers with: one place for the status, the stable code and the message.
 * The messages of the original protocol ("Invalid password", "Message text required",
 * "Invalid JSON", "Not found") are kept word for word because clients match on them.
 */
public enum ApiError {
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "bad_request", "Malformed HTTP request"),
    URL_TOO_LONG(HttpStatus.REQUEST_URI_TOO_LONG, "url_too_long", "The request line (method and URL) is too long"),
    HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", "The request headers are too large"),
    HTTP_VERSION_NOT_SUPPORTED(HttpStatus.HTTP_VERSION_NOT_SUPPORTED, "http_version_not_supported", "This server speaks HTTP/1.1"),
    REQUEST_TIMEOUT(HttpStatus.REQUEST_TIMEOUT, "request_timeout", "The request did not arrive in time (seconds)"),
    INVALID_JSON(HttpStatus.BAD_REQUEST, "invalid_json", "Invalid JSON"),
    TEXT_REQUIRED(HttpStatus.BAD_REQUEST, "text_required", "Message text required"),
    INVALID_ENCODING(HttpStatus.BAD_REQUEST, "invalid_encoding", "Request body could not be decoded (Content-Encoding)"),
    INVALID_FIELD(HttpStatus.BAD_REQUEST, "invalid_field", "Invalid field"),
    INVALID_AGENT(HttpStatus.BAD_REQUEST, "invalid_agent", "Agent names are " + ApiError.NAME_RULE),
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "invalid_parameter", "Invalid query parameter"),
    QUERY_TOO_LONG(HttpStatus.BAD_REQUEST, "query_too_long", "The search term is too long"),
    INVALID_PASSWORD(HttpStatus.UNAUTHORIZED, "invalid_password", "Invalid password"),
    INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "invalid_token", "Invalid token"),
    HOST_KEY_AS_PASSWORD(HttpStatus.UNAUTHORIZED, "host_key_as_password", "This is the host key, not the room password: send it as Authorization: Bearer <host key>"),
    HOST_ONLY(HttpStatus.FORBIDDEN, "host_only", "Only the host may do this (Authorization: Bearer <host key>)"),
    TOKEN_EXPIRED(HttpStatus.UNAUTHORIZED, "token_expired", "This name's token expired (unused for too long): join again"),
    TOKEN_REVOKED(HttpStatus.UNAUTHORIZED, "token_revoked", "This name's token was revoked (its holder left or was kicked)"),
    CROSS_SITE_REQUEST(HttpStatus.FORBIDDEN, "cross_site_request", "A page of another site cannot act with this browser's session"),
    SESSION_ENDED(HttpStatus.UNAUTHORIZED, "session_ended", "This browser session ended (the server restarted, or it was idle): log in again"),
    TOKEN_REQUIRED(HttpStatus.UNAUTHORIZED, "token_required", "Send the name's token (Authorization: Bearer <token>)"),
    NAME_CLAIMED(HttpStatus.FORBIDDEN, "name_claimed", "This name is held in this room: send its token (Authorization: Bearer) to use it, or choose another name"),
    KICKED(HttpStatus.FORBIDDEN, "kicked", "The host removed this name from the room; it is blocked for a while"),
    MUTED(HttpStatus.FORBIDDEN, "muted", "The host muted this name: it may read but not post"),
    READ_ONLY(HttpStatus.FORBIDDEN, "read_only", "The observer password only reads: it cannot post or change anything"),
    TOO_MANY_NAMES(HttpStatus.TOO_MANY_REQUESTS, "too_many_names", "This room holds as many claimed names as it may"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not_found", "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed"),
    MESSAGE_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "message_too_large", "Message text is too large"),
    BODY_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large", "Request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Request body must be application/json"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "Not acceptable"),
    TOO_MANY_PASSWORD_FAILURES(HttpStatus.TOO_MANY_REQUESTS, "too_many_password_failures", "Too many wrong passwords from this address (perhaps a client here still uses an old one), try again later"),
    SEND_RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "send_rate_limited", "Too many messages, slow down"),
    TOO_MANY_CONNECTIONS(HttpStatus.TOO_MANY_REQUESTS, "too_many_connections", "Too many open connections from this address"),
    TOO_MANY_STREAMS(HttpStatus.TOO_MANY_REQUESTS, "too_many_streams", "Too many open streams from this address"),
    TOO_MANY_POLLS(HttpStatus.TOO_MANY_REQUESTS, "too_many_polls", "Too many waiting polls from this address"),
    TOO_MANY_MCP_SESSIONS(HttpStatus.TOO_MANY_REQUESTS, "too_many_mcp_sessions", "Too many MCP sessions from this address"),
    TOO_MANY_CURSORS(HttpStatus.TOO_MANY_REQUESTS, "too_many_cursors", "This room keeps read cursors for as many agents as it may"),
    MCP_SESSION_REQUIRED(HttpStatus.BAD_REQUEST, "mcp_session_required", "An Mcp-Session-Id header is required: send initialize first"),
    MCP_SESSION_NOT_FOUND(HttpStatus.NOT_FOUND, "mcp_session_not_found", "No such MCP session (it ended or expired): send initialize again"),
    AGENT_NAME_REQUIRED(HttpStatus.BAD_REQUEST, "agent_name_required", "An X-Agent-Name header is required: " + ApiError.NAME_RULE),
    INVALID_ROOM_NAME(HttpStatus.BAD_REQUEST, "invalid_room_name", "Room names are 1-64 ASCII letters, digits, '-' or '_'"),
    ROOM_PASSWORD_REQUIRED(HttpStatus.BAD_REQUEST, "room_password_required", "A room password (1-256 characters) is required in " + RoomPassword.HEADER),
    ROOM_NOT_FOUND(HttpStatus.NOT_FOUND, "room_not_found", "Room not found"),
    ROOMS_DISABLED(HttpStatus.FORBIDDEN, "rooms_disabled", "Room creation is turned off on this server"),
    TOO_MANY_ROOMS(HttpStatus.TOO_MANY_REQUESTS, "too_many_rooms", "This server hosts as many rooms as it may"),
    TOO_MANY_ROOMS_FROM_ADDRESS(HttpStatus.TOO_MANY_REQUESTS, "too_many_rooms_from_address", "Too many rooms created from this address"),
    STORE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "store_unavailable", "The shared store is unavailable, try again later"),
    SERVER_FULL(HttpStatus.SERVICE_UNAVAILABLE, "server_full", "The server has too many open connections"),
    MEMORY_FULL(HttpStatus.SERVICE_UNAVAILABLE, "memory_full", "This server has no memory left for another room, try again later"),
    LOW_MEMORY(HttpStatus.SERVICE_UNAVAILABLE, "low_memory", "The server is low on memory, try again later"),
    TOO_MANY_AGENTS(HttpStatus.TOO_MANY_REQUESTS, "too_many_agents", "This room remembers as many agents as it may"),
    LOOP_BRAKE(HttpStatus.TOO_MANY_REQUESTS, "loop_brake", "Too many agent messages in a row without a human one"),
    MESSAGE_NOT_FOUND(HttpStatus.NOT_FOUND, "message_not_found", "No such message in this room"),
    TOO_MANY_ACKS(HttpStatus.TOO_MANY_REQUESTS, "too_many_acks", "This message has as many acknowledgements as it may keep"),
    INVALID_GLOB(HttpStatus.BAD_REQUEST, "invalid_glob", "Malformed glob"),
    CLAIM_CONFLICT(HttpStatus.CONFLICT, "claim_conflict", "An overlapping claim is held by another agent"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.CONFLICT, "idempotency_key_reused",
        "This idempotency key was given to another message: use a new key for each message"),
    CLAIM_NOT_FOUND(HttpStatus.NOT_FOUND, "claim_not_found", "No such claim"),
    SERVER_ROOM(HttpStatus.CONFLICT, "server_room", "The server's own room ends only when its server stops"),
    NOT_CLAIM_HOLDER(HttpStatus.FORBIDDEN, "not_claim_holder", "Only the claim's holder can release it"),
    TOO_MANY_CLAIMS(HttpStatus.TOO_MANY_REQUESTS, "too_many_claims", "This agent holds as many claims as it may"),
    TOO_MANY_CLAIMS_IN_ROOM(HttpStatus.TOO_MANY_REQUESTS, "too_many_claims_in_room", "This room holds as many claims as it may"),
    SHUTTING_DOWN(HttpStatus.SERVICE_UNAVAILABLE, "shutting_down", "The server is shutting down"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal error");

    /** The rule every agent name follows, as the errors and the CLI say it. */
    public static final String NAME_RULE = "1-64 characters, without control or invisible characters, "
        + "spaces at either end or a leading @";

    /**
     * What every surface says of a message id the room does not have (not reached yet, or dropped
     * from the history where only a kept message will do): the API's {@code message_not_found}, the
     * MCP tools, and the CLI's {@code seen}, {@code ack}, {@code wait --acks} and {@code send --reply-to} (exit 2).
     */
    public static String noSuchMessage(long id) {
        return "No message #" + id + " in this room: check the id";
    }

    /**
     * Why a named room is gone, as the CLI and both MCP servers tell {@code room_not_found} (the API's
     * own answer stays the original protocol's "Room not found").
     */
    public static final String HOW_ROOMS_END =
        "a named room ends when its host ends it, after its TTL with no request or stream, and when its server restarts";

    private final HttpStatus status;
    private final String code;
    private final String message;

    ApiError(HttpStatus status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The error as an exception, to throw from anywhere in a request. */
    public ApiException exception() {
        return new ApiException(this, message, null, null);
    }

    /** The error with a more precise message, e.g. naming the parameter. */
    public ApiException exception(String detail) {
        return new ApiException(this, detail, null, null);
    }

    /** The error with a more precise message, to be tried again in {@code retryAfterSeconds} ({@code Retry-After}). */
    public ApiException exception(String detail, long retryAfterSeconds) {
        return new ApiException(this, detail, null, retryAfterSeconds);
    }

    /** The error with a more precise message and the claim it is about (in the body's {@code claim}). */
    public ApiException exception(String detail, dev.agentchat.api.model.Claim claim) {
        return new ApiException(this, detail, null, null, claim, null);
    }

    /**
     * The error for a name blocked until {@code until} ({@code kicked}): the body says until when
     * ({@code blocked_until}), {@code Retry-After} the seconds left (rounded up).
     */
    public ApiException blockedUntil(Instant until, Instant now) {
        long millisLeft = Math.max(0, Duration.between(now, until).toMillis());
        long secondsLeft = Math.max(1, (millisLeft + 999) / 1000);
        return new ApiException(this, message, null, secondsLeft, null, until.atOffset(ZoneOffset.UTC));
    }

    /** The error for a limit with a more precise message: the body names the limit. */
    public ApiException limit(String detail, long limit) {
        return new ApiException(this, detail, limit, null);
    }

    /** The error for a limit: the body names the limit, and a retry delay may be given. */
    public ApiException limit(long limit, Long retryAfterSeconds) {
        return new ApiException(this, message, limit, retryAfterSeconds);
    }
}
