package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;
import dev.agentchat.client.room.Rooms;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * One request to a room over {@link PlainHttp}, with the headers given: a 2xx answer's JSON as the
 * caller reads it, every other outcome a {@link RoomException} ({@link Refusals}). It holds no name
 * and tries nothing twice: {@link NameHold} does.
 */
final class RoomHttp {
    /** Request timeout of the original clients for send and get. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final String BEARER = "Bearer ";
    /** How long past a command's deadline a request may still be answered: a poll held until it ends. */
    private static final Duration PAST_DEADLINE = Duration.ofSeconds(2);
    private static final Duration LEAST = Duration.ofMillis(1);

    private final RoomAddress address;
    private final Refusals refusals;
    /** The password as its header carries it ({@link Rooms#passwordHeader}). */
    private final String passwordHeader;
    /** When a one-shot command gives up ({@link #giveUpAt}); null while none does. */
    @Nullable
    private volatile Instant deadline;

    RoomHttp(RoomAddress address, String password) {
        this.address = address;
        this.refusals = new Refusals(address);
        this.passwordHeader = Rooms.passwordHeader(password);
    }

    RoomAddress address() {
        return address;
    }

    Refusals refusals() {
        return refusals;
    }

    String passwordHeader() {
        return passwordHeader;
    }

    /**
     * Cuts every request short at {@code deadline} (a little after, for a poll the server holds until
     * then): a command with a timeout is not kept past it by a server that takes connections and never
     * answers. Null: each request has its own timeout only.
     */
    void giveUpAt(@Nullable Instant deadline) {
        this.deadline = deadline;
    }

    /** {@code timeout}, cut short by the deadline when there is one. */
    private Duration within(Duration timeout) {
        Instant until = deadline;
        if (until == null) {
            return timeout;
        }
        Duration left = Duration.between(Instant.now(), until.plus(PAST_DEADLINE));
        if (left.compareTo(timeout) >= 0) {
            return timeout;
        }
        // a timeout must be positive: one already past gives up at once
        return left.compareTo(LEAST) > 0 ? left : LEAST;
    }

    /** {@code Authorization: Bearer TOKEN}, as a header's value. */
    static String bearer(String token) {
        return BEARER + token;
    }

    /** A request with the password, and with {@code token} when one is given (a name's, which stands for it). */
    <T> T withPassword(@Nullable String token, String method, String path, @Nullable String body, Duration timeout,
                       Function<Object, T> reader) {
        return token == null
            ? request(method, path, body, timeout, reader, Rooms.PASSWORD_HEADER, passwordHeader)
            : request(method, path, body, timeout, reader, Rooms.PASSWORD_HEADER, passwordHeader, "Authorization", bearer(token));
    }

    /**
     * One request ({@code path} relative to the room's base URL, query included and encoded) with
     * {@code headers} (name, value, name, value…).
     */
    <T> T request(String method, String path, @Nullable String body, Duration timeout, Function<Object, T> reader,
                  String... headers) {
        PlainHttp.Response response;
        try {
            response = PlainHttp.exchange(method, URI.create(address + path), body, within(CONNECT_TIMEOUT), within(timeout),
                headers);
        } catch (IOException e) {
            throw refusals.unreachable(e);
        }
        if (response.status() / 100 != 2) {
            throw refusals.of(response.status(), response::header, response.body());
        }
        try {
            return reader.apply(response.body().isBlank() ? null : Json.parse(response.body()));
        } catch (IllegalArgumentException e) {
            throw refusals.unreachable(e);
        }
    }
}
