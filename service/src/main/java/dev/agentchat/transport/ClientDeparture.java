package dev.agentchat.transport;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import reactor.core.publisher.Mono;

/**
 * When the client of the current request closes its connection. An answer that waits (a long-poll)
 * ends then instead of holding its connection slot, its presence and its request until its time is
 * up: the framework does not cancel a pending answer when its connection closes.
 */
public final class ClientDeparture {
    private ClientDeparture() {
    }

    /**
     * Completes when the current request's connection closes; never when there is no current request
     * on a connection of this server. Cancelling it lets go of the connection, so a kept-alive
     * connection that waits many times collects nothing.
     */
    public static Mono<Void> ofCurrentRequest() {
        return ServerRequestContext.currentRequest()
            .map(ClientDeparture::of)
            .orElseGet(Mono::never);
    }

    private static Mono<Void> of(HttpRequest<?> request) {
        if (!(request instanceof NettyHttpRequest<?> netty)) {
            return Mono.never();
        }
        Channel channel = netty.getChannelHandlerContext().channel();
        return Mono.create(sink -> {
            GenericFutureListener<Future<Void>> closed = future -> sink.success();
            channel.closeFuture().addListener(closed);
            sink.onDispose(() -> channel.closeFuture().removeListener(closed));
        });
    }
}
