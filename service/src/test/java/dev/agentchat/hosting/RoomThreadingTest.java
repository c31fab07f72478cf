package dev.agentchat.hosting;

import dev.agentchat.transport.EventLoops;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerHttpRequestContext;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.core.propagation.PropagatedContext;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where a room's operation runs when its request is on an event loop, as a request with a body is
 * once the framework has read it there: a room in Redis leaves the loop and keeps its request; a
 * room in memory stays.
 */
class RoomThreadingTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, SECONDS);
    }

    @Test
    void anOperationOnARoomInRedisLeavesTheEventLoopAndKeepsItsRequest() throws Exception {
        assertEquals("off the loop, for /rooms/r/messages", whereItRuns(new RoomThreading(true)));
    }

    @Test
    void anOperationOnARoomInMemoryRunsOnTheLoopItCameOn() throws Exception {
        assertEquals("on the loop, for /rooms/r/messages", whereItRuns(new RoomThreading(false)));
    }

    /** Runs an operation from the loop, in a request's context; the operation's work is done when it is subscribed. */
    private String whereItRuns(RoomThreading threading) throws Exception {
        HttpRequest<?> request = HttpRequest.POST("/rooms/r/messages", "{}");
        CompletableFuture<String> where = new CompletableFuture<>();
        loop.execute(() -> {
            try (PropagatedContext.Scope ignored = PropagatedContext.getOrEmpty()
                    .plus(new ServerHttpRequestContext(request)).propagate()) {
                threading.run(() -> Mono.fromCallable(() -> (EventLoops.currentLoop() == null ? "off" : "on")
                        + " the loop, for " + ServerRequestContext.currentRequest().map(HttpRequest::getPath).orElse("nothing")))
                    .subscribe(where::complete, where::completeExceptionally);
            }
        });
        return where.get(5, SECONDS);
    }
}
