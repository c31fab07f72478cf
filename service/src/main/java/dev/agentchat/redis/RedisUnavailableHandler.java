package dev.agentchat.redis;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ErrorBody;
import io.lettuce.core.RedisException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A Redis command that failed (Redis unreachable, timed out) is a 503: nothing was accepted. */
@Produces
@Singleton
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisUnavailableHandler implements ExceptionHandler<RedisException, HttpResponse<ErrorBody>> {
    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, RedisException exception) {
        return ErrorBody.response(ApiError.STORE_UNAVAILABLE).header("Retry-After", "1");
    }
}
