package dev.agentchat.redis;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import io.lettuce.core.RedisException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A Redis command that failed (Redis unreachable, timed out, or refusing this server's credentials)
 * is a 503: nothing was accepted. The last is said, as the operator has to act on it.
 */
@Produces
@Singleton
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisUnavailableHandler implements ExceptionHandler<RedisException, HttpResponse<ErrorBody>> {
    static final String CREDENTIALS_REFUSED = "The shared store refuses this server's credentials; its operator must fix them";

    private final RedisConnections redis;

    public RedisUnavailableHandler(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, RedisException exception) {
        return ErrorBody.response(refusal(redis));
    }

    /** The answer to a request whose Redis command failed: {@code 503 store_unavailable}, to be tried again in a second. */
    public static ApiException refusal(RedisConnections redis) {
        return ApiError.STORE_UNAVAILABLE.exception(
            redis.refusal().isPresent() ? CREDENTIALS_REFUSED : ApiError.STORE_UNAVAILABLE.message(), 1);
    }
}
