package dev.agentchat.sse;

import io.micronaut.core.io.buffer.ReadBufferFactory;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.ByteBodyFactory;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.body.ResponseBodyWriter;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;

import java.io.OutputStream;

/**
 * Writes an {@link SseStream.Body} as one streaming body: each frame becomes a chunk that wraps the
 * frame's bytes without copying them, and the connection's demand reaches the stream (a client that
 * stops reading stops pulling frames, so they queue in the room's buffer for it and it is cut off
 * there).
 */
@Singleton
@Produces(MediaType.TEXT_EVENT_STREAM)
public class SseStreamWriter implements ResponseBodyWriter<SseStream.Body> {
    @Override
    public CloseableByteBody writePiece(ByteBodyFactory bodyFactory, HttpRequest<?> request, HttpResponse<?> response,
                                        Argument<SseStream.Body> type, MediaType mediaType, SseStream.Body body) {
        ReadBufferFactory buffers = bodyFactory.readBufferFactory();
        return bodyFactory.adapt(body.frames().map(frame -> buffers.adapt(frame.wire())));
    }

    @Override
    public void writeTo(Argument<SseStream.Body> type, MediaType mediaType, SseStream.Body body, MutableHeaders headers,
                        OutputStream out) throws CodecException {
        throw new CodecException("An event stream is written as it comes, never to a stream at once");
    }
}
