package dev.agentchat.sse;

import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.MessageBodyWriter;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link SseFrame}s as they are. The framework's own event writer always adds a data line,
 * which would turn keepalive comments into empty message events.
 */
@Singleton
@Produces(MediaType.TEXT_EVENT_STREAM)
public class SseFrameWriter implements MessageBodyWriter<SseFrame> {
    @Override
    public void writeTo(Argument<SseFrame> type, MediaType mediaType, SseFrame frame, MutableHeaders headers,
                        OutputStream out) throws CodecException {
        try {
            out.write(frame.wire().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CodecException("Cannot write event", e);
        }
    }
}
