package dev.agentchat.transport;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Answers HTTP/1.0 requests in a form HTTP/1.0 can read. A body whose length is not known ahead (an
 * event stream, a transcript) goes out in chunks, which HTTP/1.0 does not have (RFC 9112, 6.1: never
 * to a client that did not ask in HTTP/1.1): to such a client it goes out as it is, and its end is the
 * connection's close.
 */
public final class Http10Bodies {
    /** Its name in a connection's pipeline, right after the HTTP codec. */
    public static final String NAME = "agent-chat-http10-bodies";

    private Http10Bodies() {
    }

    /** Whether {@code request} came in HTTP/1.0, so its body is written without chunks. */
    public static boolean unchunked(HttpRequest<?> request) {
        // the framework's own version of a request says HTTP/1.1 for both
        return request instanceof NettyHttpRequest<?> netty && oldVersion(netty.getNativeRequest());
    }

    private static boolean oldVersion(io.netty.handler.codec.http.HttpRequest request) {
        return request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    /** A new connection's handler, to go right after its HTTP codec. */
    public static ChannelHandler handler() {
        return new Handler();
    }

    /** Between the HTTP codec and the framework: sees each request's version and each answer's head. */
    private static final class Handler extends ChannelDuplexHandler {
        /** Whether the request being answered came in HTTP/1.0 (such clients do not pipeline: they wait or close). */
        private boolean oldClient;
        /** Whether the answer being written lost its chunks, so the connection closes at its end. */
        private boolean endsWithClose;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.HttpRequest request) {
                oldClient = oldVersion(request);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && oldClient && HttpUtil.isTransferEncodingChunked(response)) {
                HttpUtil.setTransferEncodingChunked(response, false);
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                endsWithClose = true;
            }
            if (msg instanceof LastHttpContent && endsWithClose) {
                endsWithClose = false;
                ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.write(msg, promise);
        }
    }
}
