package dev.agentchat.error;

import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;

/** A request failed with one of the {@link ApiError}s; turned into JSON by {@link ApiExceptionHandler}. */
public final class ApiException extends RuntimeException {
    private final ApiError error;
    private final Long limit;
    private final Long retryAfterSeconds;
    private final dev.agentchat.api.model.Claim claim;
    private final OffsetDateTime blockedUntil;

    ApiException(ApiError error, String message, @Nullable Long limit, @Nullable Long retryAfterSeconds) {
        this(error, message, limit, retryAfterSeconds, null, null);
    }

    ApiException(ApiError error, String message, @Nullable Long limit, @Nullable Long retryAfterSeconds,
                 @Nullable dev.agentchat.api.model.Claim claim, @Nullable OffsetDateTime blockedUntil) {
        super(message, null, false, false);
        this.error = error;
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
        this.claim = claim;
        this.blockedUntil = blockedUntil;
    }

    /** Until when the name is blocked ({@code kicked}), or null when not known. */
    @Nullable
    public OffsetDateTime blockedUntil() {
        return blockedUntil;
    }

    /** The claim the error is about ({@code claim_conflict}), or null. */
    @Nullable
    public dev.agentchat.api.model.Claim claim() {
        return claim;
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
