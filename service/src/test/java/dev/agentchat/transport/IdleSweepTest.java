package dev.agentchat.transport;

import io.micronaut.http.HttpVersion;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleSweepTest {
    private static final Duration IDLE = Duration.ofSeconds(8);
    private static final long LOOK_NANOS = IDLE.toNanos() / IdleSweep.LOOKS;

    private static final class Connection extends IdleSweep.Watched {
        Connection(IdleSweep sweep) {
            super(sweep);
        }
    }

    private static IdleSweep sweep(Duration idle) {
        IdleSweep sweep = new IdleSweep();
        sweep.timeout(idle);
        return sweep;
    }

    /** Moves the channel's clock on by {@code looks} of the sweep and runs what fell due. */
    private static void pass(EmbeddedChannel channel, int looks) {
        for (int i = 0; i < looks; i++) {
            channel.advanceTimeBy(LOOK_NANOS, TimeUnit.NANOSECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void aConnectionThatNeitherReadsNorWritesIsClosedWithinAnEighthOfTheTimeoutAfterIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new Connection(sweep(IDLE)));
        pass(channel, IdleSweep.LOOKS);
        assertTrue(channel.isOpen(), "the first look finds it as it started: active");
        pass(channel, 1);
        assertFalse(channel.isOpen());
    }

    @Test
    void readsAndWritesKeepAConnectionOpen() {
        EmbeddedChannel channel = new EmbeddedChannel(new Connection(sweep(IDLE)));
        for (int round = 0; round < 4; round++) {
            pass(channel, IdleSweep.LOOKS - 1);
            if (round % 2 == 0) {
                channel.writeInbound("a request");
            } else {
                channel.writeOutbound("a frame");
            }
        }
        pass(channel, IdleSweep.LOOKS - 1);
        assertTrue(channel.isOpen());
        pass(channel, 2);
        assertFalse(channel.isOpen());
    }

    @Test
    void connectionsThatCloseLeaveTheirLoopsListAndTheSweepGoesOnToTheOthers() throws Exception {
        IdleSweep sweep = sweep(Duration.ofMillis(400));
        EventLoopGroup loop = new DefaultEventLoopGroup(1);
        try {
            LocalAddress address = new LocalAddress("idle-sweep-test");
            Channel server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        channel.pipeline().addLast(new Connection(sweep));
                    }
                })
                .bind(address).sync().channel();
            Bootstrap client = new Bootstrap().group(loop).channel(LocalChannel.class).handler(new ChannelInitializer<LocalChannel>() {
                @Override
                protected void initChannel(LocalChannel channel) {
                    // the client side reads nothing and writes nothing either
                }
            });
            List<Channel> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(client.connect(address).sync().channel());
            }
            // the first, the last and one in the middle of the loop's list go before the sweep finds them idle
            clients.get(0).close().sync();
            clients.get(2).close().sync();
            clients.get(4).close().sync();
            await().atMost(Duration.ofSeconds(5)).until(() -> !clients.get(1).isOpen() && !clients.get(3).isOpen());
            server.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void theSweepTakesTheIdleTimeoutOverFromTheFrameworkForHttp1AndLeavesItForHttp2() {
        NettyHttpServerConfiguration http1 = new NettyHttpServerConfiguration();
        http1.setIdleTimeout(IDLE);
        IdleSweep sweep = new IdleSweep();
        sweep.takeOver(http1);
        assertTrue(http1.getIdleTimeout().isNegative(), "the framework adds no idle handler for a negative timeout");
        EmbeddedChannel channel = new EmbeddedChannel(new Connection(sweep));
        pass(channel, IdleSweep.LOOKS + 1);
        assertFalse(channel.isOpen());

        NettyHttpServerConfiguration http2 = new NettyHttpServerConfiguration();
        http2.setHttpVersion(HttpVersion.HTTP_2_0);
        http2.setIdleTimeout(IDLE);
        IdleSweep left = new IdleSweep();
        left.takeOver(http2);
        assertEquals(IDLE, http2.getIdleTimeout());
        EmbeddedChannel kept = new EmbeddedChannel(new Connection(left));
        pass(kept, IdleSweep.LOOKS * 4);
        assertTrue(kept.isOpen(), "the framework's handler closes it instead");
    }

    @Test
    void noTimeoutKeepsIdleConnectionsOpen() {
        EmbeddedChannel channel = new EmbeddedChannel(new Connection(sweep(Duration.ZERO)));
        pass(channel, 100);
        assertTrue(channel.isOpen());
    }
}
