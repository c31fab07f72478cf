package dev.agentchat.auth;

import dev.agentchat.transport.HeaderText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

/**
 * Where a request carries a room's password: the {@code X-Room-Password} header, or the
 * {@code password} query parameter for clients that cannot set headers (the API document's two
 * security schemes).
 */
public final class RoomPassword {
    public static final String HEADER = "X-Room-Password";
    public static final String QUERY = "password";

    private RoomPassword() {
    }

    /** The header's value, else the query parameter's; null when the request has neither. */
    @Nullable
    public static String of(HttpRequest<?> request) {
        String header = HeaderText.utf8(request.getHeaders().get(HEADER));
        return header != null ? header : request.getParameters().get(QUERY);
    }
}
