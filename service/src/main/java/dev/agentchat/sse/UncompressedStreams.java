package dev.agentchat.sse;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.netty.DefaultHttpCompressionStrategy;
import io.micronaut.http.server.netty.HttpCompressionStrategy;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import jakarta.inject.Singleton;

/**
 * The server's rule for compressing responses, with event streams never compressed: their frames
 * go to the socket as they are ({@link ConnectionSink}), each event is flushed on its own, and a
 * compressor kept open for the life of a stream holds a few hundred kilobytes. Other text responses
 * are compressed as the framework's rule says (text, at least the configured threshold).
 */
@Singleton
@Replaces(DefaultHttpCompressionStrategy.class)
public class UncompressedStreams implements HttpCompressionStrategy {
    private final NettyHttpServerConfiguration configuration;

    public UncompressedStreams(NettyHttpServerConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public boolean isEnabled() {
        return configuration.getCompressionThreshold() >= 0;
    }

    @Override
    public boolean shouldCompress(HttpResponse response) {
        if (!isEnabled()) {
            return false;
        }
        HttpHeaders headers = response.headers();
        // the length first: most answers are small JSON, and reading the media type costs more
        Integer length = headers.getInt(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && length < configuration.getCompressionThreshold()) {
            return false;
        }
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        return contentType != null && !contentType.startsWith(MediaType.TEXT_EVENT_STREAM)
            && MediaType.isTextBased(contentType);
    }

    @Override
    public int getCompressionLevel() {
        return configuration.getCompressionLevel();
    }

    @Override
    public int getMaxZstdEncodeSize() {
        return configuration.getMaxZstdEncodeSize();
    }
}
