package dev.agentchat.error;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.exceptions.UnsatisfiedQueryValueRouteException;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.net.URISyntaxException;
import java.util.List;

/**
 * Answers the framework's own errors (unknown path, unparsable body, bad parameter, body too large,
 * wrong content type) with the same JSON as our catalogue, never with a stack trace. An
 * {@link OutOfMemoryError} the framework caught (one thrown while it wrote an answer, which no exception
 * handler sees) ends the process instead ({@link OutOfMemoryHalt}).
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class JsonErrorResponseProcessor implements ErrorResponseProcessor<ErrorBody> {
    private final long maxRequestSize;
    private final List<OversizedBody> oversized;

    private final Provider<Router> router;

    public JsonErrorResponseProcessor(@Value("${micronaut.server.max-request-size:10485760}") long maxRequestSize,
                                      List<OversizedBody> oversized, Provider<Router> router) {
        this.maxRequestSize = maxRequestSize;
        this.oversized = oversized;
        this.router = router;
    }

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        // a plain call: a method reference is made at its first use, which may come once the heap is full
        OutOfMemoryHalt.ifCause(context.getRootCause().orElse(null));
        ApiException error = classify(context, response.code());
        return response
            .contentType(MediaType.APPLICATION_JSON_TYPE)
            .body(new ErrorBody(error.getMessage(), error.error().code(), error.limit(), error.claim(), error.blockedUntil()));
    }

    private ApiException classify(ErrorContext context, int status) {
        Throwable cause = context.getRootCause().orElse(null);
        ApiException ours = ours(cause);
        if (ours != null && ours.error().status().getCode() == status) {
            return ours;
        }
        return switch (status) {
            case 404 -> ApiError.NOT_FOUND.exception();
            case 405 -> ApiError.METHOD_NOT_ALLOWED.exception();
            case 406 -> notAcceptable(context.getRequest());
            case 413 -> oversized(context);
            case 415 -> ApiError.UNSUPPORTED_MEDIA_TYPE.exception();
            case 400 -> badRequest(cause);
            default -> status >= 500 ? ApiError.INTERNAL.exception() : ApiError.INVALID_PARAMETER.exception();
        };
    }

    /** A body over the request size: {@code body_too_large}, unless a feature knows better ({@link OversizedBody}). */
    private ApiException oversized(ErrorContext context) {
        for (OversizedBody feature : oversized) {
            ApiException refusal = feature.refusal(context.getRequest(), maxRequestSize);
            if (refusal != null) {
                return refusal;
            }
        }
        return ApiError.BODY_TOO_LARGE.limit(maxRequestSize, null);
    }

    /** What the route answers, which the request's {@code Accept} header must include. */
    private ApiException notAcceptable(HttpRequest<?> request) {
        List<String> answers;
        try {
            answers = router.get().find(request.getMethod(), request.getPath(), request)
                .flatMap(route -> route.getRouteInfo().getProduces().stream())
                .map(MediaType::getName).distinct().toList();
        } catch (RuntimeException e) {
            answers = List.of();
        }
        if (answers.isEmpty()) {
            return ApiError.NOT_ACCEPTABLE.exception();
        }
        return ApiError.NOT_ACCEPTABLE.exception("Not acceptable: this answers " + String.join(" or ", answers)
            + ", so the Accept header must include " + String.join(" or ", answers) + " (or */*)");
    }

    /** Our own error, when the framework wrapped one thrown while reading the body. */
    private static ApiException ours(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ApiException e) {
                return e;
            }
        }
        return null;
    }

    private static ApiException badRequest(Throwable cause) {
        if (cause instanceof UnsatisfiedQueryValueRouteException missing) {
            return QueryParameters.missing(missing.getArgument().getName());
        }
        if (cause instanceof URISyntaxException malformed) {
            return ApiError.BAD_REQUEST.exception(malformed.getReason().startsWith("Malformed escape")
                ? "Malformed URL (a '%' must start an escape such as %20)"
                : "Malformed URL (spaces and characters beyond ASCII must be escaped as UTF-8 bytes, such as %20 or %C3%A9)");
        }
        if (cause instanceof ConversionErrorException conversion) {
            String name = conversion.getArgument().getName();
            if (!"body".equals(name) && !name.startsWith("new")) {
                return QueryParameters.invalid(name);
            }
        }
        return ApiError.INVALID_JSON.exception();
    }
}
