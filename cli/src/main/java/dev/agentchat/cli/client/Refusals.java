package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.output.LocalClock;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.room.Unanswered;
import dev.agentchat.error.ApiError;
import dev.agentchat.names.Names;
import io.micronaut.core.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A room's refusals and a request's failures, as the {@link RoomException}s every command reports:
 * the room's own words, with its limit, until when a name is blocked and when to try again; a
 * failure before any answer said as the Java client says it ({@link Unanswered#why}).
 */
final class Refusals {
    /** How long a streamed answer's error body is waited for (the original server never ends its own). */
    private static final Duration ERROR_BODY_WAIT = Duration.ofSeconds(2);
    /** The most of an error body that is read. */
    private static final int ERROR_BODY_MAX = 64 * 1024;

    /** What the CLI says for {@code host_key_as_password}: where the key goes on its command line. */
    static final String HOST_KEY_GIVEN_AS_PASSWORD = "This is the host key, not the room password:"
        + " the host's commands (room, rooms, kick, mute, unmute, topic, brake) take it as --host-key;"
        + " the others need the room password (-p)";

    private final RoomAddress address;

    Refusals(RoomAddress address) {
        this.address = address;
    }

    /** A failure of the generated client (streams). */
    RoomException of(ApiException e) {
        if (e.getCode() == 0) {
            return unreachable(e.getCause() == null ? e : e.getCause());
        }
        return of(e.getCode(), name -> e.getResponseHeaders() == null ? null : e.getResponseHeaders().firstValue(name).orElse(null),
            e.getResponseBody());
    }

    /** An error answer: its {@code error}, {@code limit}, {@code code}, {@code blocked_until} and {@code Retry-After}. */
    RoomException of(int status, Function<String, String> headers, @Nullable String responseBody) {
        Map<String, Object> body = errorBody(responseBody);
        if (status == 401) {
            if (ApiError.HOST_KEY_AS_PASSWORD.code().equals(body.get("code"))) {
                return new RoomException(RoomException.Kind.INVALID_PASSWORD, 401, HOST_KEY_GIVEN_AS_PASSWORD,
                    ApiError.HOST_KEY_AS_PASSWORD.code(), null);
            }
            // a name's token that ended says why; anything else stays the original protocol's words
            if (body.get("code") instanceof String code && !code.equals("invalid_password") && body.get("error") instanceof String error) {
                return new RoomException(RoomException.Kind.INVALID_PASSWORD, 401, error, code, null);
            }
            return new RoomException(RoomException.Kind.INVALID_PASSWORD, 401, "Invalid password");
        }
        Object error = body.get("error");
        StringBuilder message = new StringBuilder(error instanceof String text ? text : "HTTP error " + status + " from " + address);
        if (status == 404 && "room_not_found".equals(body.get("code"))) {
            message.append(": no room at ").append(address)
                .append(" (").append(ApiError.HOW_ROOMS_END).append(')');
        } else if (status == 404 && (body.get("code") == null || "not_found".equals(body.get("code")))) {
            // a URL with a path of its own: the server is there, the room is not
            message.append(": no agent-chat room at ").append(address)
                .append(" (give the server's URL, e.g. http://host:8765, or a named room's, http://host:8765/rooms/NAME)");
        }
        OffsetDateTime blockedUntil = blockedUntil(body);
        Long stated = body.get("limit") instanceof Number n && fitsLong(n) ? Long.valueOf(n.longValue()) : null;
        // a limit the sentence already names as the top of a range ("from 1 to 86400") is not said twice
        Long limit = stated != null && !message.toString().contains(" to " + stated) ? stated : null;
        // a blocked name says until when, on the user's clock, rather than how many seconds are left
        String retryAfter = blockedUntil != null ? null : headers.apply("Retry-After");
        if (blockedUntil != null) {
            message.append(" (until ").append(LocalClock.local(blockedUntil)).append(')');
        }
        if (limit != null || retryAfter != null) {
            message.append(" (");
            if (limit != null) {
                message.append("limit ").append(number(limit));
            }
            if (retryAfter != null) {
                message.append(limit != null ? "; " : "").append("retry after ").append(retryAfter)
                    .append(retryAfter.matches("\\d+") ? " s" : "");
            }
            message.append(')');
        }
        // 503 (shutting down, full, its store unreachable) is a server to try again later, as one not reachable
        return new RoomException(status == 503 ? RoomException.Kind.UNREACHABLE : RoomException.Kind.REJECTED, status,
            message.toString(), body.get("code") instanceof String code ? code : null, stated, blockedUntil);
    }

    /** A failure before any answer: {@code Cannot reach URL: connection refused}. */
    RoomException unreachable(Throwable cause) {
        return new RoomException("Cannot reach " + address + ": " + Unanswered.why(cause, address.base().getHost()), cause);
    }

    /**
     * {@code refused} as the holder of {@code agent} reads it: a kick is said as every kick of a held
     * name is ({@link Names#removed}), whichever request met it; anything else, or no name held, as it is.
     */
    static RoomException toHolder(RoomException refused, @Nullable String agent) {
        if (agent == null || !"kicked".equals(refused.code())) {
            return refused;
        }
        OffsetDateTime until = refused.blockedUntil();
        return new RoomException(RoomException.Kind.REJECTED, 403,
            Names.removed(agent, until == null ? null : LocalClock.local(until)), "kicked", null, until);
    }

    /** A number as people read it: {@code 65,536}. */
    static String number(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /**
     * An error's body, as much of it as comes within {@link #ERROR_BODY_WAIT}: the original server
     * neither says how long its error bodies are nor ends them, and the command must not wait for it.
     */
    static String readErrorBody(InputStream body) {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n = body.read(buffer); n >= 0 && read.size() < ERROR_BODY_MAX; n = body.read(buffer)) {
                    synchronized (read) {
                        read.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // what came before is the body
            }
        }, "error-body");
        reader.setDaemon(true);
        reader.start();
        try {
            reader.join(ERROR_BODY_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (read) {
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    /** The error body's {@code blocked_until} ({@code kicked}), or null when absent or unreadable. */
    @Nullable
    private static OffsetDateTime blockedUntil(Map<String, Object> body) {
        try {
            return Wire.timestamp(body.get("blocked_until"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean fitsLong(Number n) {
        return n instanceof Long || n.doubleValue() >= Long.MIN_VALUE && n.doubleValue() <= Long.MAX_VALUE;
    }

    /** The error body's fields; none when it is not a JSON object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> errorBody(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        try {
            return Json.parse(body) instanceof Map<?, ?> object ? (Map<String, Object>) object : Map.of();
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }
}
