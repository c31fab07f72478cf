package dev.agentchat.transport;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import jakarta.inject.Singleton;

/**
 * Answers HTTP/1.0 requests in a form HTTP/1.0 can read. A body whose length is not known ahead (an
 * event stream, a transcript) goes out in chunks, which HTTP/1.0 does not have (RFC 9112, 6.1: never
 * to a client that did not ask in HTTP/1.1): to such a client it goes out as it is, and its end is the
 * connection's close.
 */
@Singleton
public class Http10Bodies implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private static final String NAME = "agent-chat-http10-bodies";

    /** Whether {@code request} came in HTTP/1.0, so its body is written without chunks. */
    public static boolean unchunked(HttpRequest<?> request) {
        // the framework's own version of a request says HTTP/1.1 for both
        return request instanceof NettyHttpRequest<?> netty && oldVersion(netty.getNativeRequest());
    }

    private static boolean oldVersion(io.netty.handler.codec.http.HttpRequest request) {
        return request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                if (role != ChannelRole.CONNECTION) {
                    return this;
                }
                return new NettyServerCustomizer() {
                    @Override
                    public void onStreamPipelineBuilt() {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null && pipeline.get(NAME) == null) {
                            pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, NAME, new Handler());
                        }
                    }
                };
            }
        });
        return event.getBean();
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
