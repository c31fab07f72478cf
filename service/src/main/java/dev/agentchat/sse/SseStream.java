package dev.agentchat.sse;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import reactor.core.publisher.Flux;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream of frames written straight to its connection. Returned from a route as a
 * {@code Flux<SseFrame>} (what the API's interface declares), the framework would encode it item by
 * item: per frame a writer lookup, a body of its own and a concatenating subscriber, then an HTTP
 * content object and a chunk header per connection, which the profiles of a fan-out found costing
 * more than the kernel's write. {@link #answer} remembers the frames on the request;
 * {@link SseStreamFilter} then answers with a {@link Body} in their place, which
 * {@link SseStreamWriter} writes: the framework writes the response's head and ends the response,
 * the frames go to the socket as ready-made chunks ({@link ConnectionSink}).
 */
public final class SseStream {
    private static final String ATTRIBUTE = SseStream.class.getName();

    private SseStream() {
    }

    /**
     * Returns the frames, to be written as one body when the request is answered with them. A stream
     * holds what the route gave it (a connection slot, the listener's presence) until it ends; if the
     * connection closes before the framework starts the answer, nobody would end it, so the frames are
     * then subscribed without a connection, which the stream refuses, letting go of what it holds.
     */
    public static Flux<SseFrame> answer(HttpRequest<?> request, Flux<SseFrame> frames) {
        AtomicBoolean taken = new AtomicBoolean();
        Flux<SseFrame> once = Flux.defer(() -> taken.compareAndSet(false, true) ? frames : Flux.empty());
        ConnectionSink.channelOf(request).closeFuture().addListener(closed -> {
            if (taken.compareAndSet(false, true)) {
                frames.subscribe(frame -> { }, refused -> { });
            }
        });
        request.setAttribute(ATTRIBUTE, new Body(once));
        return once;
    }

    /** The body to answer the request with, when a route returned {@link #answer}. */
    @Nullable
    static Body body(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Body.class).orElse(null);
    }

    /** The stream as a response body that is not itself a publisher, so it is written as one body. */
    public record Body(Flux<SseFrame> frames) {
    }
}
