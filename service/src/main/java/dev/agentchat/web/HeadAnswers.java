package dev.agentchat.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.types.files.FileCustomizableResponseType;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;

import java.nio.charset.StandardCharsets;

/**
 * A {@code HEAD} answer carries the {@code Content-Type} the {@code GET} would, and its
 * {@code Content-Length} where the body's size is known without writing it: a file (the client jar,
 * the web UI's files) or a text (the room's guide, the jar's checksum). The framework drops the body
 * of a {@code HEAD} answer before these headers are made, and then closes the connection for want of
 * a length; with one, the connection stays open. Bound to {@code HEAD}: no other request passes here.
 */
@ServerFilter(value = ServerFilter.MATCH_ALL_PATTERN, methods = HttpMethod.HEAD)
public class HeadAnswers {
    @ResponseFilter
    public void asTheGetWould(MutableHttpResponse<?> response) {
        // a route's body is set aside for a HEAD answer; a static file's stays in place (it is never written)
        Object body = RouteAttributes.getHeadBody(response).or(response::getBody).orElse(null);
        if (body == null) {
            return;
        }
        if (response.getContentType().isEmpty()) {
            MediaType type = body instanceof FileCustomizableResponseType file ? file.getMediaType() : producedBy(response);
            if (type != null) {
                response.contentType(type);
            }
        }
        long length = lengthOf(body);
        if (length >= 0 && response.getHeaders().get(HttpHeaders.CONTENT_LENGTH) == null) {
            response.header(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        }
    }

    /** The first type the route says it produces, as the {@code GET} answer's type would be; null when it names none. */
    private static MediaType producedBy(MutableHttpResponse<?> response) {
        return RouteAttributes.getRouteInfo(response)
            .map(RouteInfo::getProduces)
            .filter(types -> !types.isEmpty())
            .map(types -> types.get(0))
            .orElse(null);
    }

    /** The body's size in bytes when it is known without writing it; -1 otherwise. */
    private static long lengthOf(Object body) {
        if (body instanceof FileCustomizableResponseType file) {
            return file.getLength();
        }
        if (body instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        if (body instanceof byte[] bytes) {
            return bytes.length;
        }
        return -1;
    }
}
