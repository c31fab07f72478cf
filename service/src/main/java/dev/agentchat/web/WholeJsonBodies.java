package dev.agentchat.web;

import dev.agentchat.api.model.NewMessage;
import dev.agentchat.error.ApiError;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the API's request bodies as the framework's JSON reader does, and refuses one with more
 * after its JSON object: that reader stops at the end of the first value, so two messages
 * concatenated in one body ({@code {...}{...}}, a JSON Lines file) would post the first and drop
 * the rest without a word. Now the body is {@code 400 invalid_json}, and nothing is posted.
 */
@Singleton
@Order(-20) // ahead of the framework's JSON reader (-10)
@Consumes(MediaType.APPLICATION_JSON)
public final class WholeJsonBodies<T> implements MessageBodyReader<T> {
    private static final String MODELS = NewMessage.class.getPackageName();
    private final JsonMapper json;

    public WholeJsonBodies(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean isReadable(Argument<T> type, MediaType mediaType) {
        return type.getType().getPackageName().equals(MODELS);
    }

    @Override
    public T read(Argument<T> type, MediaType mediaType, Headers httpHeaders, ByteBuffer<?> byteBuffer) throws CodecException {
        return read(type, byteBuffer.toByteArray());
    }

    @Override
    public T read(Argument<T> type, MediaType mediaType, Headers httpHeaders, InputStream inputStream) throws CodecException {
        try {
            return read(type, inputStream.readAllBytes());
        } catch (IOException e) {
            throw new CodecException("Could not read the request body", e);
        }
    }

    private T read(Argument<T> type, byte[] body) {
        T value;
        try {
            value = json.readValue(body, type);
        } catch (IOException e) {
            throw new CodecException("Invalid JSON: " + e.getMessage(), e);
        }
        if (!onlyWhitespaceAfterFirstValue(body)) {
            throw ApiError.INVALID_JSON.exception("Invalid JSON: something follows the body's JSON object (send one object per request)");
        }
        return value;
    }

    /**
     * Whether nothing but whitespace follows the first JSON object or array of {@code body}, which
     * is known to be valid JSON up to its end (the mapper read it).
     */
    static boolean onlyWhitespaceAfterFirstValue(byte[] body) {
        int i = skipWhitespace(body, 0);
        if (i == body.length || body[i] != '{' && body[i] != '[') {
            return true; // a bare value: the reader of its type has refused it already
        }
        int depth = 0;
        boolean inString = false;
        for (; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                return skipWhitespace(body, i + 1) == body.length;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] body, int from) {
        int i = from;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        return i;
    }
}
