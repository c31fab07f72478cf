package dev.agentchat.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import jakarta.inject.Singleton;

/** A body labelled gzip, deflate or br that is not: the client's mistake, a 400, not a 500 with a stack trace. */
@Produces
@Singleton
public class DecompressionExceptionHandler implements ExceptionHandler<DecompressionException, HttpResponse<ErrorBody>> {
    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, DecompressionException exception) {
        return ErrorBody.response(ApiError.INVALID_ENCODING);
    }
}
