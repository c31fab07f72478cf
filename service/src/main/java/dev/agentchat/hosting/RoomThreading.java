package dev.agentchat.hosting;

import dev.agentchat.transport.EventLoops;
import io.micronaut.core.async.propagation.ReactivePropagation;
import io.micronaut.core.propagation.PropagatedContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.function.Supplier;

/**
 * The threading policy of room operations ({@link RoomAccessFilter}): rooms in memory are served
 * where the request is, rooms in Redis off the event loops, where waiting for Redis holds up no
 * connection but the one asking. The filter moves such a request off its loop before opening the
 * room; a request with a body comes back to its connection's loop when the framework reads the body
 * there, and {@link #run} moves its operation off again.
 */
@Singleton
public class RoomThreading {
    private final boolean remote;

    @Inject
    public RoomThreading(RoomStore store) {
        this(store.remote());
    }

    RoomThreading(boolean remote) {
        this.remote = remote;
    }

    /** Whether operations on rooms may wait on the network (rooms in Redis). */
    public boolean remote() {
        return remote;
    }

    /**
     * The operation, as it is; or, for rooms in Redis when called on an event loop, made and run on
     * the bounded-elastic scheduler in the request's context (its current request, its client address).
     */
    public <T> Mono<T> run(Supplier<Mono<T>> operation) {
        if (!remote || EventLoops.currentLoop() == null) {
            return operation.get();
        }
        return Mono.from(ReactivePropagation.propagate(PropagatedContext.getOrEmpty(), Mono.defer(operation)))
            .subscribeOn(Schedulers.boundedElastic());
    }
}
