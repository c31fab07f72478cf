package dev.agentchat.room;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The in-memory room. Posting, history and subscriber registration share one lock so that a new
 * subscriber's replay and its live feed meet without gap or duplicate. Delivery under the lock is a
 * non-blocking offer into each subscriber's bounded buffer; a subscriber whose buffer is full is
 * cut off instead of slowing the others down.
 */
public final class MemoryRoom implements Room {
    private final Object lock = new Object();
    private final ArrayDeque<ChatMessage> history = new ArrayDeque<>();
    // a copy-on-write list copied itself on every join and leave: quadratic with 10,000 streams
    private final Followers subscribers = new Followers();
    private final int maxHistory;
    private final Function<ChatMessage, String> encoder;
    private final Clock clock;
    private long lastId;
    private Sinks.Empty<Void> nextPost = Sinks.empty();

    /**
     * @param maxHistory how many of the newest messages are kept
     * @param encoder    makes a message's JSON (its {@code json} component is empty when called)
     */
    public MemoryRoom(int maxHistory, Function<ChatMessage, String> encoder, Clock clock) {
        this.maxHistory = maxHistory;
        this.encoder = encoder;
        this.clock = clock;
    }

    @Override
    public ChatMessage post(Draft draft) {
        Sinks.Empty<Void> wake;
        ChatMessage message;
        synchronized (lock) {
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            ChatMessage bare = new ChatMessage(lastId + 1, draft.agent(), draft.text(), now,
                Mentions.in(draft.text()), draft.to(), draft.replyTo(), "");
            message = new ChatMessage(bare.id(), bare.agent(), bare.text(), bare.timestamp(), bare.mentions(),
                bare.to(), bare.replyTo(), encoder.apply(bare));
            lastId = message.id();
            history.addLast(message);
            if (history.size() > maxHistory) {
                history.removeFirst();
            }
            subscribers.deliver(message);
            wake = nextPost;
            nextPost = Sinks.empty();
        }
        wake.tryEmitEmpty();
        return message;
    }

    @Override
    public List<ChatMessage> after(long afterId, int limit) {
        synchronized (lock) {
            return collectAfter(afterId, limit);
        }
    }

    private List<ChatMessage> collectAfter(long afterId, int limit) {
        List<ChatMessage> result = new ArrayList<>();
        if (history.isEmpty() || afterId >= lastId) {
            return result;
        }
        long oldest = history.peekFirst().id();
        Iterator<ChatMessage> it = history.iterator();
        // ids are contiguous, so skip straight to the first wanted one
        for (long skip = Math.max(0, afterId - oldest + 1); skip > 0 && it.hasNext(); skip--) {
            it.next();
        }
        while (it.hasNext() && result.size() < limit) {
            result.add(it.next());
        }
        return result;
    }

    @Override
    public long lastId() {
        synchronized (lock) {
            return lastId;
        }
    }

    @Override
    public long oldestId() {
        synchronized (lock) {
            return history.isEmpty() ? lastId + 1 : history.peekFirst().id();
        }
    }

    @Override
    public Flux<ChatMessage> follow(long afterId, int buffer) {
        return Flux.defer(() -> {
            Follower follower = new Follower(buffer);
            List<ChatMessage> replay;
            synchronized (lock) {
                replay = collectAfter(afterId, Integer.MAX_VALUE);
                subscribers.add(follower);
            }
            return Flux.concat(Flux.fromIterable(replay), follower.live())
                .doFinally(signal -> subscribers.remove(follower));
        });
    }

    @Override
    public Mono<Void> nextAfter(long afterId) {
        synchronized (lock) {
            return afterId < lastId ? Mono.empty() : nextPost.asMono();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            subscribers.completeAll();
        }
    }
}
