package dev.agentchat.messages;

import dev.agentchat.api.model.Message;
import dev.agentchat.api.model.MessageList;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.micronaut.core.io.buffer.ReadBufferFactory;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.ByteBodyFactory;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.body.ResponseBodyWriter;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Writes a list of messages ({@code GET {base}/messages}; without parameters every retained message, megabytes
 * in a full room) a piece at a time, each piece made when the connection has taken the one before: a client
 * that does not read makes the server hold a piece of its answer, not the answer. The bytes are the JSON
 * the framework would write for the list, each message encoded by the same mapper; a list that fits in one
 * piece goes out whole, with its length.
 */
@Singleton
@Produces(MediaType.APPLICATION_JSON)
public class MessageListWriter implements ResponseBodyWriter<MessageList> {
    /** About the most bytes of a list encoded before the connection has taken those before them. */
    static final int PIECE = 32 * 1024;
    private static final byte[] START = "{\"messages\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "]}".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json;

    public MessageListWriter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public CloseableByteBody writePiece(ByteBodyFactory bodyFactory, HttpRequest<?> request, HttpResponse<?> response,
                                        Argument<MessageList> type, MediaType mediaType, MessageList list) {
        if (list.getMessages() == null) {
            return bodyFactory.adapt(encode(list));
        }
        Pieces pieces = new Pieces(list.getMessages());
        byte[] first = pieces.next();
        if (!pieces.hasNext()) {
            return bodyFactory.adapt(first);
        }
        ReadBufferFactory buffers = bodyFactory.readBufferFactory();
        return bodyFactory.adapt(Flux.concat(Flux.just(first), Flux.fromIterable(() -> pieces))
            .map(piece -> (ReadBuffer) buffers.adapt(piece)));
    }

    @Override
    public void writeTo(Argument<MessageList> type, MediaType mediaType, MessageList list, MutableHeaders headers,
                        OutputStream out) throws CodecException {
        headers.setIfMissing(HttpHeaders.CONTENT_TYPE, mediaType);
        try {
            if (list.getMessages() == null) {
                out.write(encode(list));
                return;
            }
            for (Pieces pieces = new Pieces(list.getMessages()); pieces.hasNext(); ) {
                out.write(pieces.next());
            }
        } catch (IOException e) {
            throw new CodecException("Could not write a list of messages", e);
        }
    }

    private byte[] encode(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The list's JSON in pieces of about {@link #PIECE} bytes (a message is never split), each made when asked for. */
    private final class Pieces implements Iterator<byte[]> {
        private final List<Message> messages;
        private int next;
        private boolean started;
        private boolean finished;

        Pieces(List<Message> messages) {
            this.messages = messages;
        }

        @Override
        public boolean hasNext() {
            return !finished;
        }

        @Override
        public byte[] next() {
            if (finished) {
                throw new NoSuchElementException();
            }
            ByteArrayOutputStream piece = new ByteArrayOutputStream(PIECE + PIECE / 4);
            if (!started) {
                started = true;
                piece.writeBytes(START);
            }
            while (next < messages.size() && piece.size() < PIECE) {
                if (next > 0) {
                    piece.write(',');
                }
                try {
                    json.writeValue(piece, messages.get(next++));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (next == messages.size()) {
                finished = true;
                piece.writeBytes(END);
            }
            return piece.toByteArray();
        }
    }
}
