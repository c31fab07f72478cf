package dev.agentchat.room;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One subscriber's bounded buffer, shared by the room implementations. Cutting it off must not wait
 * behind the buffered messages (a stalled client would never get there): the error overtakes them
 * and the buffer is dropped.
 */
public final class Subscriber {
    private final Sinks.Many<ChatMessage> sink;
    private final Sinks.Empty<Void> cut = Sinks.empty();
    private volatile boolean slow;

    public Subscriber(int buffer) {
        sink = Sinks.many().unicast().onBackpressureBuffer(new SubscriberBuffer<ChatMessage>(buffer));
    }

    /** Offers a message without blocking; false when the buffer is full. */
    public boolean offer(ChatMessage message) {
        return sink.tryEmitNext(message).isSuccess();
    }

    /** Ends the subscriber's feed with {@link SlowSubscriberException}, ahead of what it has buffered. */
    public void cutOff() {
        slow = true;
        cut.tryEmitEmpty();
    }

    /** Ends the feed normally, after what is buffered. */
    public void complete() {
        sink.tryEmitComplete();
    }

    public Flux<ChatMessage> live() {
        return sink.asFlux()
            .takeUntilOther(cut.asMono())
            .concatWith(Mono.defer(() -> slow ? Mono.error(new SlowSubscriberException()) : Mono.empty()));
    }
}
