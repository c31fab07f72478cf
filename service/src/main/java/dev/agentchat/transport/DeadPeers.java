package dev.agentchat.transport;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Errors;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Releases connections whose peer vanished without closing them (a laptop lid shut, a phone out of
 * coverage). The stream's keepalive comment keeps data in flight; on Linux every accepted
 * connection gets {@code TCP_USER_TIMEOUT}, so once that data goes unacknowledged for
 * {@code agent-chat.dead-peer-timeout} the kernel drops the connection and its stream, presence and
 * connection slot are released. Without it the kernel retransmits for about 15 minutes.
 */
@Singleton
public class DeadPeers implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    /** The default of {@code agent-chat.dead-peer-timeout}. */
    public static final String DEFAULT_TIMEOUT = "45s";
    private static final Logger LOG = LoggerFactory.getLogger(DeadPeers.class);
    /** errno ETIMEDOUT, as the native transport reports it: the kernel gave up on the peer. */
    private static final int TIMED_OUT = -110;
    private static final NettyServerCustomizer NOTHING = new NettyServerCustomizer() { };

    private final int timeoutMillis;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final ChannelHandler quietTimeout = new QuietTimeout();

    public DeadPeers(@Value("${agent-chat.dead-peer-timeout:" + DEFAULT_TIMEOUT + "}") Duration timeout) {
        this.timeoutMillis = Math.toIntExact(Math.max(1, timeout.toMillis()));
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                return role == ChannelRole.CONNECTION ? forConnection(channel) : this;
            }
        });
        return event.getBean();
    }

    private NettyServerCustomizer forConnection(Channel channel) {
        if (!(channel instanceof EpollSocketChannel epoll)) {
            if (warned.compareAndSet(false, true)) {
                LOG.info("Not on Linux's native transport: a client that vanishes without closing its "
                    + "connection is released only by the operating system's TCP timeout");
            }
            return NOTHING;
        }
        epoll.config().setTcpUserTimeout(timeoutMillis);
        return new NettyServerCustomizer() {
            @Override
            public void onInitialPipelineBuilt() {
                channel.pipeline().addFirst("agent-chat-dead-peer", quietTimeout);
            }
        };
    }

    /** A peer found dead is routine: it is closed with a debug line instead of an error with a stack trace. */
    @ChannelHandler.Sharable
    private static final class QuietTimeout extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof Errors.NativeIoException e && e.expectedErr() == TIMED_OUT) {
                LOG.debug("Released {}: it stopped acknowledging for longer than the dead-peer timeout",
                    ctx.channel().remoteAddress());
                ctx.close();
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }
}
