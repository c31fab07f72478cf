package dev.agentchat.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.time.OffsetDateTime;

/**
 * The JSON of every error: {@code {"error": "...", "code": "...", "limit": N, "claim": {...},
 * "blocked_until": "..."}}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String code, @Nullable Long limit, @Nullable dev.agentchat.api.model.Claim claim,
                        @JsonProperty("blocked_until") @Nullable OffsetDateTime blockedUntil) {

    public ErrorBody(String error, String code, @Nullable Long limit) {
        this(error, code, limit, null, null);
    }

    /** The header that says how long to wait before asking again (limits, blocked names). */
    public static final String RETRY_AFTER = "Retry-After";

    /** The body for an exception. */
    public static ErrorBody of(ApiException e) {
        return new ErrorBody(e.getMessage(), e.error().code(), e.limit(), e.claim(), e.blockedUntil());
    }

    /** The body for an exception as JSON bytes, for an answer written below the framework. */
    public static byte[] json(JsonMapper json, ApiException e) {
        try {
            return json.writeValueAsBytes(of(e));
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }

    /** The response for an exception: status, body and, for limits and blocked names, {@code Retry-After}. */
    public static MutableHttpResponse<ErrorBody> response(ApiException e) {
        MutableHttpResponse<ErrorBody> response = HttpResponse
            .<ErrorBody>status(e.error().status())
            .body(of(e));
        if (e.retryAfterSeconds() != null) {
            response.header(RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return response;
    }

    public static MutableHttpResponse<ErrorBody> response(ApiError error) {
        return response(error.exception());
    }
}
