package dev.agentchat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The generator's non-blocking HTTP/1.1 plumbing: a few event-loop threads hold every connection,
 * so ten thousand open streams cost buffers, not threads.
 */
final class Http implements AutoCloseable {
    /** Connections opened at once; more would overflow the server's accept backlog on a small box. */
    static final int CONNECTS_IN_FLIGHT = 200;

    private final EventLoopGroup group;
    private final Target target;

    Http(Target target, int threads) {
        this.target = target;
        this.group = new MultiThreadIoEventLoopGroup(threads,
            Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** The generator's socket transport: epoll on Linux where the native library loads, NIO elsewhere. */
    static String transport() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    Target target() {
        return target;
    }

    FullHttpRequest get(String pathAndQuery) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.path(pathAndQuery));
        headers(request);
        return request;
    }

    /** A GET that asks for an event stream: nchan answers it only with {@code Accept: text/event-stream}. */
    FullHttpRequest stream(String pathAndQuery) {
        FullHttpRequest request = get(pathAndQuery);
        request.headers().set(HttpHeaderNames.ACCEPT, "text/event-stream");
        return request;
    }

    FullHttpRequest postJson(String path, String json) {
        ByteBuf body = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target.path(path), body);
        headers(request);
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return request;
    }

    private void headers(FullHttpRequest request) {
        request.headers().set(HttpHeaderNames.HOST, target.hostHeader());
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        request.headers().set("X-Room-Password", target.password());
    }

    /** What opening a batch of connections gave. */
    record Opened(List<Channel> channels, int failures, String firstError) {
    }

    /**
     * Opens {@code count} connections, at most {@link #CONNECTS_IN_FLIGHT} at a time, each with a
     * fresh set of handlers after the HTTP codec.
     */
    CompletableFuture<Opened> open(int count, Supplier<PipelineSetup> handlers) {
        Bootstrap bootstrap = new Bootstrap().group(group)
            .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            // reset on close: no TIME_WAIT, so repeated phases do not run out of local ports
            .option(ChannelOption.SO_LINGER, 0)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000);
        List<Channel> channels = Collections.synchronizedList(new ArrayList<>(count));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        String[] firstError = new String[1];
        CompletableFuture<Opened> result = new CompletableFuture<>();
        if (count == 0) {
            result.complete(new Opened(List.of(), 0, null));
            return result;
        }
        Runnable[] connectNext = new Runnable[1];
        connectNext[0] = () -> {
            if (next.getAndIncrement() >= count) {
                return;
            }
            PipelineSetup setup = handlers.get();
            ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec());
                    setup.addTo(ch.pipeline());
                }
            }).connect(target.host(), target.port());
            connect.addListener(f -> {
                if (f.isSuccess()) {
                    channels.add(connect.channel());
                } else {
                    failures.incrementAndGet();
                    synchronized (firstError) {
                        if (firstError[0] == null) {
                            firstError[0] = String.valueOf(f.cause());
                        }
                    }
                }
                if (done.incrementAndGet() == count) {
                    result.complete(new Opened(new ArrayList<>(channels), failures.get(), firstError[0]));
                } else {
                    connectNext[0].run();
                }
            });
        };
        for (int i = 0; i < Math.min(count, CONNECTS_IN_FLIGHT); i++) {
            connectNext[0].run();
        }
        return result;
    }

    /** Adds a connection's own handlers after the codec. */
    @FunctionalInterface
    interface PipelineSetup {
        void addTo(ChannelPipeline pipeline);
    }

    static void closeAll(List<Channel> channels) {
        List<ChannelFuture> closing = new ArrayList<>(channels.size());
        for (Channel channel : channels) {
            closing.add(channel.close());
        }
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
