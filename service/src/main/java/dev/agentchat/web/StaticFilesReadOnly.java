package dev.agentchat.web;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ErrorBody;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.types.files.FileCustomizableResponseType;

/**
 * The web UI's files and Swagger UI are read, not written: a request in any method but {@code GET}
 * and {@code HEAD} that would be answered with one ({@code DELETE /}, {@code POST /app.js}) is
 * {@code 405 method_not_allowed}, as at every route of the API, rather than {@code 200} with the file.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class StaticFilesReadOnly {
    @ResponseFilter
    public MutableHttpResponse<?> readOnly(HttpRequest<?> request, MutableHttpResponse<?> response) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD
            || !(response.getBody().orElse(null) instanceof FileCustomizableResponseType)) {
            return response;
        }
        return ErrorBody.response(ApiError.METHOD_NOT_ALLOWED).contentType(MediaType.APPLICATION_JSON_TYPE)
            .header(HttpHeaders.ALLOW, "GET, HEAD");
    }
}
