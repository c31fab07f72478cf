package dev.agentchat.auth;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.limits.PasswordThrottle;
import dev.agentchat.room.RoomSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request to the room's API through only with the room password, from the
 * {@code X-Room-Password} header or, when the header is absent, the {@code password} query parameter.
 * Wrong passwords are throttled per client address ({@link PasswordThrottle}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class PasswordFilter implements Ordered {
    public static final String HEADER = "X-Room-Password";
    public static final String QUERY = "password";

    private final byte[] expected;
    private final PasswordThrottle throttle;

    public PasswordFilter(RoomSettings settings, PasswordThrottle throttle) {
        this.throttle = throttle;
        if (settings.password() == null || settings.password().isEmpty()) {
            throw new IllegalStateException("agent-chat.password must be set");
        }
        this.expected = digest(settings.password());
    }

    @RequestFilter
    @Nullable
    public HttpResponse<ErrorBody> check(HttpRequest<?> request) {
        if (request.getMethod() == HttpMethod.OPTIONS || !isProtected(request.getPath())) {
            return null;
        }
        try {
            throttle.check(request);
        } catch (ApiException e) {
            return ErrorBody.response(e);
        }
        String given = request.getHeaders().get(HEADER);
        if (given == null) {
            given = request.getParameters().get(QUERY);
        }
        if (given != null && MessageDigest.isEqual(expected, digest(given))) {
            return null;
        }
        throttle.failed(request);
        return ErrorBody.response(ApiError.INVALID_PASSWORD);
    }

    /** The API needs the password; health, the web UI's files, the document and Swagger UI do not. */
    static boolean isProtected(String path) {
        return path.equals("/messages") || path.startsWith("/messages/")
            || path.equals("/agents") || path.startsWith("/agents/");
    }

    /** Compare digests, so the comparison takes the same time whatever the length of the guess. */
    private static byte[] digest(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int getOrder() {
        return 0;
    }
}
