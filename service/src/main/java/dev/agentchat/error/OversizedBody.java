package dev.agentchat.error;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

/**
 * What a request whose body is over the server's size limit ({@code micronaut.server.max-request-size},
 * refused before the body is read) is told where a feature knows better than {@code body_too_large}.
 */
public interface OversizedBody {
    /** The refusal of {@code request}, or null when its body is not this feature's to judge. */
    @Nullable
    ApiException refusal(HttpRequest<?> request, long maxRequestSize);
}
