package dev.agentchat.sse;

import dev.agentchat.transport.Http10Bodies;
import dev.agentchat.transport.RequestConnection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.EventExecutor;

/**
 * Writes frames as ready-made HTTP chunks below the connection's HTTP encoder, after the response's
 * head the framework wrote: per message that is one shared buffer handed to the socket, instead of
 * a body item, an HTTP content object and a chunk header per stream. To an HTTP/1.0 client, which has
 * no chunks, the frames go out as they are ({@link Http10Bodies}).
 */
final class ConnectionSink implements FrameSink {
    private final ChannelHandlerContext belowEncoder;
    private final VoidChannelPromise quiet;
    /** Whether frames go out as they are (an HTTP/1.0 client) rather than as chunks. */
    private final boolean unchunked;

    ConnectionSink(ChannelHandlerContext belowEncoder, boolean unchunked) {
        this.belowEncoder = belowEncoder;
        this.quiet = new VoidChannelPromise(belowEncoder.channel(), false);
        this.unchunked = unchunked;
    }

    /** The sink of the request's connection, or null when that connection has closed already (nothing to write to). */
    @Nullable
    static ConnectionSink of(HttpRequest<?> request) {
        Channel channel = channelOf(request);
        ChannelHandlerContext codec = channel.pipeline().context(HttpServerCodec.class);
        if (codec == null) {
            if (!channel.isActive()) {
                return null; // its handlers went with it; SseStream lets go of the stream's frames
            }
            throw new IllegalStateException("an event stream is served over HTTP/1.1 only");
        }
        return new ConnectionSink(codec, Http10Bodies.unchunked(request));
    }

    /** The connection a request came on. */
    static Channel channelOf(HttpRequest<?> request) {
        Channel channel = RequestConnection.of(request);
        if (channel == null) {
            throw new IllegalStateException("an event stream needs the server's own connection");
        }
        return channel;
    }

    @Override
    public EventExecutor loop() {
        return belowEncoder.executor();
    }

    @Override
    public boolean writable() {
        return belowEncoder.channel().isWritable();
    }

    @Override
    public void write(SseFrame frame) {
        belowEncoder.write(unchunked ? frame.bytes() : frame.chunk(), quiet);
    }

    @Override
    public void flush() {
        belowEncoder.flush();
    }

    /**
     * An empty buffer goes out behind what is waiting; once it has, so has everything before it. A
     * closed connection never calls back (its stream is cancelled instead): waking the stream to
     * find it unwritable again would spin the event loop until the close reaches the stream.
     */
    @Override
    public void whenWritable(Runnable then) {
        belowEncoder.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> {
            if (done.isSuccess()) {
                then.run();
            }
        });
    }
}
