package dev.agentchat.transport;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * The address others reach this server at, for documents that tell them how to join: the configured
 * {@code agent-chat.public-url} (set by {@code serve} to its tunnel's URL, or to this machine's
 * address on the network), else the scheme and {@code Host} the request came with.
 */
@Singleton
public class PublicUrl {
    private volatile String configured;

    public PublicUrl(@Value("${agent-chat.public-url:}") String configured) {
        use(configured);
    }

    /** Replaces the configured URL (a tunnel's URL is known only once the server is up). */
    public void use(@Nullable String url) {
        configured = url == null || url.isBlank() ? null : withoutTrailingSlash(url);
    }

    /** The server's base URL for this request, without a trailing slash. */
    public String of(HttpRequest<?> request) {
        String url = configured;
        if (url != null) {
            return url;
        }
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        return (request.isSecure() ? "https" : "http") + "://" + host;
    }

    /** A URL as documents write it before their paths ({@code /skill.md}): trimmed, without a slash at its end. */
    public static String withoutTrailingSlash(String url) {
        String trimmed = url.trim();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
