package dev.agentchat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One SSE subscriber: sends its request when connected and splits the stream into lines itself
 * (no aggregation), reporting the {@code : connected} comment and each {@code data:} line.
 */
final class SseSubscriber extends SimpleChannelInboundHandler<HttpObject> implements ByteProcessor {
    /** What a scenario hears from its subscribers; called on event-loop threads. */
    interface Listener {
        void connected(SseSubscriber subscriber);

        /** @param data the data line's text, or null when the subscriber only counts */
        void data(SseSubscriber subscriber, String data, long receivedNanos);

        void refused(SseSubscriber subscriber, int status);

        void closed(SseSubscriber subscriber);
    }

    private static final int COUNTING_LINE_BYTES = 16;

    final int index;
    private final FullHttpRequest request;
    private final Listener listener;
    private final boolean keepData;
    private byte[] line;
    private int length;
    private long chunkNanos;
    private boolean connected;
    private boolean refused;

    /**
     * @param keepData pass each data line's text to the listener (otherwise only count, without copying)
     */
    SseSubscriber(int index, FullHttpRequest request, Listener listener, boolean keepData) {
        this.index = index;
        this.request = request;
        this.listener = listener;
        this.keepData = keepData;
        this.line = new byte[keepData ? 256 : COUNTING_LINE_BYTES];
    }

    boolean isConnected() {
        return connected;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(request.retainedDuplicate());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse response && response.status().code() != 200) {
            refused = true;
            listener.refused(this, response.status().code());
            ctx.close();
            return;
        }
        if (msg instanceof HttpContent content && !refused) {
            chunkNanos = System.nanoTime();
            ByteBuf bytes = content.content();
            bytes.forEachByte(this);
        }
    }

    @Override
    public boolean process(byte b) {
        if (b == '\n') {
            endOfLine();
        } else if (b != '\r') {
            if (length == line.length && keepData) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            if (length < line.length) {
                line[length] = b;
            }
            length++;
        }
        return true;
    }

    private void endOfLine() {
        int stored = Math.min(length, line.length);
        if (stored >= 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':') {
            String data = null;
            if (keepData) {
                int start = stored > 5 && line[5] == ' ' ? 6 : 5;
                data = new String(line, start, stored - start, StandardCharsets.UTF_8);
            }
            listener.data(this, data, chunkNanos);
        } else if (!connected && stored > 0 && line[0] == ':') {
            connected = true;
            listener.connected(this);
        }
        length = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.closed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        request.release();
    }
}
