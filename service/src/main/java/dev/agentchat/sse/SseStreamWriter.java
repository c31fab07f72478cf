package dev.agentchat.sse;

import io.micronaut.core.io.buffer.ReadBuffer;
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
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

import java.io.OutputStream;

/**
 * Writes an {@link SseStream.Body}: the framework writes the response's head and follows the stream
 * as a body with no items (its end ends the response; a closed connection cancels it), while the
 * frames go straight to the connection through the {@link FrameSink} the stream finds in its
 * context.
 */
@Singleton
@Produces(MediaType.TEXT_EVENT_STREAM)
public class SseStreamWriter implements ResponseBodyWriter<SseStream.Body> {
    @Override
    public CloseableByteBody writePiece(ByteBodyFactory bodyFactory, HttpRequest<?> request, HttpResponse<?> response,
                                        Argument<SseStream.Body> type, MediaType mediaType, SseStream.Body body) {
        FrameSink sink = ConnectionSink.of(request);
        if (sink == null) {
            return bodyFactory.adapt(Flux.<ReadBuffer>empty()); // the client left before its answer began
        }
        return bodyFactory.adapt(body.frames()
            .contextWrite(Context.of(FrameSink.CONTEXT_KEY, sink))
            .thenMany(Flux.<ReadBuffer>empty()));
    }

    @Override
    public void writeTo(Argument<SseStream.Body> type, MediaType mediaType, SseStream.Body body, MutableHeaders headers,
                        OutputStream out) throws CodecException {
        throw new CodecException("An event stream is written as it comes, never to a stream at once");
    }
}
