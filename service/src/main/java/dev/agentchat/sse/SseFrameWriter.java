package dev.agentchat.sse;

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

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes {@link SseFrame}s as they are. The framework's own event writer always adds a data line,
 * which would turn keepalive comments into empty message events. Each frame's bytes are handed over
 * as they are, without a copy: a message framed once goes to every stream from the same array.
 */
@Singleton
@Produces(MediaType.TEXT_EVENT_STREAM)
public class SseFrameWriter implements ResponseBodyWriter<SseFrame> {
    @Override
    public CloseableByteBody writePiece(ByteBodyFactory bodyFactory, HttpRequest<?> request, HttpResponse<?> response,
                                        Argument<SseFrame> type, MediaType mediaType, SseFrame frame) {
        return bodyFactory.adapt(frame.wire());
    }

    @Override
    public void writeTo(Argument<SseFrame> type, MediaType mediaType, SseFrame frame, MutableHeaders headers,
                        OutputStream out) throws CodecException {
        try {
            out.write(frame.wire());
        } catch (IOException e) {
            throw new CodecException("Cannot write event", e);
        }
    }
}
