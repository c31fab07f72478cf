package dev.agentchat.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;

/**
 * Who makes a request to a room, as {@code hosting/RoomAccessFilter} found out from its credentials
 * and left on the request: read it anywhere in the request with {@link #of(HttpRequest)}.
 * <ul>
 *   <li>{@link Role#MEMBER}: the room password; may post under any name nobody holds, unverified;</li>
 *   <li>{@link Role#HOLDER}: a name's token ({@code POST {base}/join}); acts as {@link #name()}, verified;</li>
 *   <li>{@link Role#OBSERVER}: the observer password; reads only ({@link #readOnly()});</li>
 *   <li>{@link Role#HOST}: the server's host key; reads and writes like a member, and may moderate.</li>
 * </ul>
 *
 * @param role     how the request got in
 * @param name     the name it holds ({@link Role#HOLDER} only), else null
 * @param kind     the kind of the name it holds ({@code agent} or {@code human}), else null
 */
public record Caller(Role role, @Nullable String name, @Nullable String kind) {
    /** The request attribute holding the caller. */
    public static final String ATTRIBUTE = "agent-chat.caller";
    /** A request that came in with the room password. */
    public static final Caller MEMBER = new Caller(Role.MEMBER, null, null);
    public static final Caller HOST = new Caller(Role.HOST, null, null);
    public static final Caller OBSERVER = new Caller(Role.OBSERVER, null, null);
    private static final String BEARER = "Bearer ";

    public enum Role { MEMBER, HOLDER, OBSERVER, HOST }

    /** A holder of {@code name}, of the given kind. */
    public static Caller holder(String name, String kind) {
        return new Caller(Role.HOLDER, name, kind);
    }

    /** The caller the room access filter found for the request; a password holder when it set none. */
    public static Caller of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class).orElse(MEMBER);
    }

    /** The key of an {@code Authorization: Bearer <key>} header, or null when the request has none. */
    @Nullable
    public static String bearer(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
            || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = header.substring(BEARER.length()).strip();
        return key.isEmpty() ? null : key;
    }

    public boolean isHost() {
        return role == Role.HOST;
    }

    /** Whether the caller posts under a name it holds: its messages are verified. */
    public boolean verified() {
        return role == Role.HOLDER;
    }

    /** Whether the caller may only read (the observer password). */
    public boolean readOnly() {
        return role == Role.OBSERVER;
    }
}
