package dev.agentchat.transport;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.context.ServerRequestContext;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * When the client of the current request closes its connection. An answer that waits (a long-poll)
 * must end then instead of holding its connection slot, its presence and its request until its time
 * is up: the framework does not cancel a pending answer when its connection closes.
 */
public final class ClientDeparture {
    private ClientDeparture() {
    }

    /**
     * Completes when the current request's connection closes; null when there is no current request
     * on a connection of this server. A waiter adds itself as a listener and removes itself when it
     * is done, so a kept-alive connection that waits many times collects nothing.
     */
    @Nullable
    public static Future<Void> ofCurrentRequest() {
        return ServerRequestContext.currentRequest()
            .map(RequestConnection::of)
            .map(Channel::closeFuture)
            .orElse(null);
    }
}
