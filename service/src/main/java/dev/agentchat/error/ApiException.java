package dev.agentchat.error;

import io.micronaut.core.annotation.Nullable;

/** A request failed with one of the {@link ApiError}s; turned into JSON by {@link ApiExceptionHandler}. */
public final class ApiException extends RuntimeException {
    private final ApiError error;
    private final Long limit;
    private final Long retryAfterSeconds;

    ApiException(ApiError error, String message, @Nullable Long limit, @Nullable Long retryAfterSeconds) {
        super(message, null, false, false);
        this.error = error;
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiError error() {
        return error;
    }

    @Nullable
    public Long limit() {
        return limit;
    }

    @Nullable
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
