package dev.agentchat.sse;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Answers a request whose route returned {@link SseStream#answer} with the stream's {@link SseStream.Body}
 * (written by {@link SseStreamWriter}) instead of the framework's item-by-item encoding. Error answers
 * (a refused stream) are left as they are. It runs on the {@link EventStreamRoute} routes only: every
 * other answer would pay for the check.
 */
@EventStreamRoute
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SseStreamFilter {
    @ResponseFilter
    @SuppressWarnings("unchecked")
    public void writeAsOneBody(HttpRequest<?> request, MutableHttpResponse<?> response) {
        SseStream.Body body = SseStream.body(request);
        if (body != null && response.status() == HttpStatus.OK && Publishers.isConvertibleToPublisher(response.body())) {
            // an Accept that puts JSON first still gets the stream: its errors are the only JSON it answers
            ((MutableHttpResponse<Object>) response).body(body).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
        }
    }
}
