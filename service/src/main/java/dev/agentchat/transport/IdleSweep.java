package dev.agentchat.transport;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.EventExecutor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that neither send nor receive for {@code micronaut.server.idle-timeout} (a
 * stream's keepalives keep it open). The framework would give every connection a timer of its own
 * and a promise with a listener for every write, a fan-out's frames included; here each event loop
 * keeps its connections in a list linked through their handlers and looks them over
 * {@value #LOOKS} times per timeout. A connection marks itself active on every read and write (a
 * field set); one found unmarked for {@value #LOOKS} looks in a row is closed, so an idle
 * connection goes within an eighth of the timeout after it. Its handler is the request clock's
 * ({@code web/RequestHeads}), which HTTP/1 connections have; a server set to HTTP/2 keeps the
 * framework's idle handler.
 */
@Singleton
public class IdleSweep implements BeanCreatedEventListener<NettyHttpServerConfiguration> {
    static final int LOOKS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(IdleSweep.class);

    /** Each event loop's connections. */
    private final Map<EventExecutor, Round> rounds = new ConcurrentHashMap<>();
    /** Time between two looks; 0 when connections may idle for ever. */
    private volatile long lookEveryNanos;

    @Override
    public NettyHttpServerConfiguration onCreated(BeanCreatedEvent<NettyHttpServerConfiguration> event) {
        takeOver(event.getBean());
        return event.getBean();
    }

    /** Takes the idle timeout over from the framework's configuration, unless the server is set to HTTP/2. */
    void takeOver(NettyHttpServerConfiguration configuration) {
        if (configuration.getHttpVersion() == HttpVersion.HTTP_2_0) {
            // the sweep watches HTTP/1 connections (through the request clock): HTTP/2 keeps the framework's handler
            return;
        }
        timeout(configuration.getIdleTimeout());
        // negative: the framework adds no idle handler of its own; this sweep does its work
        configuration.setIdleTimeout(Duration.ofSeconds(-1));
    }

    /** Connections idle for {@code idle} are closed from now on; zero or negative: never. */
    void timeout(Duration idle) {
        lookEveryNanos = idle.isNegative() || idle.isZero() ? 0 : Math.max(1, idle.toNanos() / LOOKS);
    }

    /**
     * A connection's handler that the sweep looks after once it is in the connection's pipeline.
     * Subclasses that override {@link #channelRead} or {@link #write} call this class's own.
     */
    public abstract static class Watched extends ChannelDuplexHandler {
        private final IdleSweep sweep;
        @Nullable
        private ChannelHandlerContext context;
        @Nullable
        private Watched before;
        @Nullable
        private Watched after;
        private boolean active = true;
        private int idleLooks;
        /** The list it is in, while it is in one. */
        @Nullable
        private Round round;

        protected Watched(IdleSweep sweep) {
            this.sweep = sweep;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
            sweep.watch(this, ctx.executor());
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            forget(this);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            active = true;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            active = true;
            ctx.write(msg, promise);
        }
    }

    /** Runs on the connection's event loop, as every handler method does. */
    private void watch(Watched connection, EventExecutor loop) {
        long every = lookEveryNanos;
        if (every == 0 || connection.round != null) {
            return;
        }
        rounds.computeIfAbsent(loop, first -> {
            Round round = new Round();
            first.scheduleAtFixedRate(round, every, every, TimeUnit.NANOSECONDS);
            return round;
        }).add(connection);
    }

    private static void forget(Watched connection) {
        if (connection.round != null) {
            connection.round.remove(connection);
        }
    }

    /** One event loop's connections, linked through their handlers; touched by that loop only. */
    private static final class Round implements Runnable {
        @Nullable
        private Watched first;

        void add(Watched connection) {
            connection.round = this;
            connection.after = first;
            if (first != null) {
                first.before = connection;
            }
            first = connection;
        }

        void remove(Watched connection) {
            if (connection.before == null) {
                first = connection.after;
            } else {
                connection.before.after = connection.after;
            }
            if (connection.after != null) {
                connection.after.before = connection.before;
            }
            connection.before = null;
            connection.after = null;
            connection.round = null;
        }

        @Override
        public void run() {
            Watched connection = first;
            while (connection != null) {
                Watched next = connection.after;
                if (connection.active) {
                    connection.active = false;
                    connection.idleLooks = 0;
                } else if (++connection.idleLooks >= LOOKS && connection.context != null) {
                    LOG.debug("Closing {}: it sent and received nothing for the idle timeout",
                        connection.context.channel().remoteAddress());
                    remove(connection);
                    connection.context.close();
                }
                connection = next;
            }
        }
    }
}
