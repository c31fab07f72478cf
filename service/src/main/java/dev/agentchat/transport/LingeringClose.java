package dev.agentchat.transport;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection in two steps, as HTTP servers should: first the server's side (the client gets
 * the whole answer and then end of stream), then, once the client has finished sending or after a short
 * grace, the rest. Closing at once while the client is still sending (a body refused as too large)
 * makes the kernel answer with a reset, and the client would see "connection reset" instead of the
 * JSON error it was sent.
 */
@Singleton
public class LingeringClose implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    /** The longest a closing connection's unread input is drained. */
    static final long GRACE_MILLIS = 2_000;

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                if (role != ChannelRole.CONNECTION || !(channel instanceof DuplexChannel)) {
                    return this;
                }
                return new NettyServerCustomizer() {
                    @Override
                    public void onInitialPipelineBuilt() {
                        channel.pipeline().addFirst("agent-chat-lingering-close", new Handler());
                    }
                };
            }
        });
        return event.getBean();
    }

    /** One per connection: outbound it turns the first close into a half-close, inbound it drains. */
    private static final class Handler extends ChannelDuplexHandler {
        private boolean closing;

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            DuplexChannel channel = (DuplexChannel) ctx.channel();
            if (closing || !channel.isActive() || channel.isOutputShutdown() || channel.isInputShutdown()) {
                ctx.close(promise);
                return;
            }
            closing = true;
            channel.closeFuture().addListener(closed -> promise.trySuccess());
            channel.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    ctx.close();
                    return;
                }
                channel.config().setAutoRead(true);
                ctx.read();
                Runnable close = ctx::close;
                ScheduledFuture<?> grace = ctx.executor().schedule(close, GRACE_MILLIS, TimeUnit.MILLISECONDS);
                // a client that closes its side first ends the grace early
                channel.closeFuture().addListener(closed -> grace.cancel(false));
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closing) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!closing) {
                ctx.fireChannelReadComplete();
            }
        }
    }
}
