package dev.agentchat.messages;

import dev.agentchat.api.model.PollResult;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.ByteBodyHttpResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.ByteBodyFactory;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.body.ResponseBodyWriter;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a long-poll's answer as JSON, encoding it once for every poll that gets an equal one: a
 * post wakes all the polls waiting on a room, and those that waited from the same cursor get the
 * same messages. It keeps the last answer it encoded (up to {@link #SHARED_BYTES}) and hands its
 * bytes to each equal answer after it; any other answer is encoded, by the same mapper as every
 * other body, and becomes the one kept. A waiting poll's placeholder ({@link ParkedPolls}) is
 * written empty, marked for its connection's handler.
 */
@Singleton
@Produces(MediaType.APPLICATION_JSON)
public class PollResultWriter implements ResponseBodyWriter<PollResult> {
    /** The largest answer kept for the next: a long history answered once is not held on to. */
    static final int SHARED_BYTES = 16 * 1024;

    private final JsonMapper json;
    private volatile Encoded last;

    public PollResultWriter(JsonMapper json) {
        this.json = json;
    }

    private record Encoded(PollResult result, byte[] bytes) {
    }

    @Override
    public ByteBodyHttpResponse<?> write(ByteBodyFactory bodyFactory, HttpRequest<?> request,
                                         MutableHttpResponse<PollResult> response, Argument<PollResult> type,
                                         MediaType mediaType, PollResult result) throws CodecException {
        ParkedPolls.mark(result, response);
        return ResponseBodyWriter.super.write(bodyFactory, request, response, type, mediaType, result);
    }

    @Override
    public CloseableByteBody writePiece(ByteBodyFactory bodyFactory, HttpRequest<?> request, HttpResponse<?> response,
                                        Argument<PollResult> type, MediaType mediaType, PollResult result) {
        return ParkedPolls.placeholder(result) ? bodyFactory.createEmpty() : bodyFactory.adapt(bytes(result));
    }

    @Override
    public void writeTo(Argument<PollResult> type, MediaType mediaType, PollResult result, MutableHeaders headers,
                        OutputStream out) throws CodecException {
        headers.setIfMissing(HttpHeaders.CONTENT_TYPE, mediaType);
        try {
            if (!ParkedPolls.placeholder(result)) {
                out.write(bytes(result));
            }
        } catch (IOException e) {
            throw new CodecException("Could not write a poll's answer", e);
        }
    }

    /** The answer's JSON; the array is shared and must not be changed. */
    byte[] bytes(PollResult result) {
        Encoded kept = last;
        if (kept != null && kept.result().equals(result)) {
            return kept.bytes();
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new CodecException("Could not encode a poll's answer", e);
        }
        if (bytes.length <= SHARED_BYTES) {
            last = new Encoded(result, bytes);
        }
        return bytes;
    }
}
