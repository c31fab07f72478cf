package dev.agentchat.transport;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;

/** The connection a request came on. */
public final class RequestConnection {
    private RequestConnection() {
    }

    /** The connection {@code request} came on; null when it did not come on a connection of this server. */
    @Nullable
    public static Channel of(HttpRequest<?> request) {
        return request instanceof NettyHttpRequest<?> netty ? netty.getChannelHandlerContext().channel() : null;
    }
}
