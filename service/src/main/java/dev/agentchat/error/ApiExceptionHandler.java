package dev.agentchat.error;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns an {@link ApiException} thrown anywhere in a request into its JSON answer. */
@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {
    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        return ErrorBody.response(exception);
    }
}
