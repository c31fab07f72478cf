package dev.agentchat.room;

import dev.agentchat.room.HistoryBudget;
import dev.agentchat.transport.EventLoops;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The in-memory room. Ids, history and subscriber registration share one lock; delivery to the
 * subscribers runs outside it, so concurrent posters do not queue behind a fan-out. Each post appends
 * its delivery to a queue under the lock, and whichever poster finds nobody draining that queue
 * delivers everything in it, in id order, one message at a time to every subscriber (a non-blocking
 * offer into each one's bounded buffer; a subscriber whose buffer is full is cut off instead of
 * slowing the others down). The other posters wait without a thread for {@link #delivered}, which
 * keeps the queue as short as the number of posts in progress. A new subscriber replays the history
 * up to the newest id at its registration and takes from its live feed only what is newer, so the
 * two meet without gap or duplicate whichever of the queued deliveries reach it.
 */
public final class MemoryRoom implements Room {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryRoom.class);
    /** Messages one drainer delivers before it lets its event loop's other work run. */
    private static final int DRAIN_BUDGET = 32;
    private final Object lock = new Object();
    private final ArrayDeque<ChatMessage> history = new ArrayDeque<>();
    /** The keys senders gave the recent messages; under the lock. */
    private final SentKeys sentKeys;
    // a copy-on-write list copied itself on every join and leave: quadratic with 10,000 streams
    private final Subscribers subscribers;
    private final int maxHistory;
    private final HistoryBudget budget;
    private final HistoryBudget.Account account;
    private final Function<ChatMessage, String> encoder;
    private final Clock clock;
    private long lastId;
    @Nullable
    private volatile String topic;
    private final Sinks.Many<String> topicChanges = Sinks.many().multicast().directBestEffort();
    private final NextPost nextPost = new NextPost();
    /** Deliveries (and the final completion) waiting for the drainer, in id order; guarded by the lock. */
    private final ArrayDeque<Runnable> deliveries = new ArrayDeque<>();
    private boolean draining;
    // set by close(), under the lock: a follower that comes later is completed at once
    private boolean closed;
    // written only by the drainer of the moment (or under the lock when nobody drains)
    private volatile long deliveredId;
    private volatile Sinks.Empty<Void> nextDelivery = Sinks.empty();

    /** A room with no byte budget (outside a server). */
    public MemoryRoom(int maxHistory, Function<ChatMessage, String> encoder, Clock clock) {
        this(maxHistory, HistoryBudget.unbounded(), encoder, clock);
    }

    /**
     * @param maxHistory how many of the newest messages are kept
     * @param budget     the bytes of history this room may keep; opening its account here may
     *                   refuse the room ({@code memory_full})
     * @param encoder    makes a message's JSON (its {@code json} component is empty when called)
     */
    public MemoryRoom(int maxHistory, HistoryBudget budget, Function<ChatMessage, String> encoder, Clock clock) {
        this.maxHistory = maxHistory;
        this.budget = budget;
        this.encoder = encoder;
        this.clock = clock;
        this.subscribers = new Subscribers(clock);
        this.sentKeys = new SentKeys(clock);
        this.account = budget.open(this::dropOldest);
    }

    @Override
    public ChatMessage post(Draft draft) {
        ChatMessage message;
        boolean drain;
        synchronized (lock) {
            ChatMessage earlier = draft.key() == null ? null : sentUnderLock(draft.agent(), draft.key());
            if (earlier != null) {
                SentKeys.requireSameText(earlier, draft);
                return earlier;
            }
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            ChatMessage bare = ChatMessage.of(lastId + 1, draft, now);
            message = bare.withJson(encoder.apply(bare));
            lastId = message.id();
            history.addLast(message);
            if (draft.key() != null) {
                sentKeys.remember(draft.agent(), draft.key(), message.id());
            }
            account.added(HistoryBudget.weight(message));
            // oldest first, as with the count cap; the newest message always stays
            while (history.size() > 1 && (history.size() > maxHistory || account.overBudget())) {
                account.removed(HistoryBudget.weight(history.removeFirst()));
            }
            if (!draining && subscribers.isEmpty()) {
                // nobody to deliver to: a subscriber that registers next replays this message
                deliveredId = message.id();
                drain = false;
            } else {
                ChatMessage delivered = message;
                drain = enqueue(() -> {
                    try {
                        subscribers.deliver(delivered);
                    } finally {
                        // its poster is answered even if a subscriber failed
                        deliveredId = delivered.id();
                        Sinks.Empty<Void> done = nextDelivery;
                        nextDelivery = Sinks.empty();
                        done.tryEmitEmpty();
                    }
                });
            }
        }
        nextPost.posted();
        // outside the lock: keeping all rooms within the total may drop this room's oldest or another's
        budget.settle();
        if (drain) {
            drain();
        }
        return message;
    }

    @Override
    public ChatMessage sent(String agent, String key) {
        synchronized (lock) {
            return sentUnderLock(agent, key);
        }
    }

    @Nullable
    private ChatMessage sentUnderLock(String agent, String key) {
        Long id = sentKeys.find(agent, key);
        if (id == null || history.isEmpty() || id < history.peekFirst().id()) {
            return null;
        }
        // keys are recent: their messages are near the newest end
        for (Iterator<ChatMessage> newestFirst = history.descendingIterator(); newestFirst.hasNext(); ) {
            ChatMessage message = newestFirst.next();
            if (message.id() == id) {
                return message;
            }
        }
        return null;
    }

    /** Drops the oldest retained message (the newest always stays); false when there is none to drop. */
    private boolean dropOldest() {
        synchronized (lock) {
            if (history.size() <= 1) {
                return false;
            }
            account.removed(HistoryBudget.weight(history.removeFirst()));
            return true;
        }
    }

    /** Queues a delivery; true when the caller must drain the queue (nobody else is). Under the lock. */
    private boolean enqueue(Runnable delivery) {
        deliveries.addLast(delivery);
        if (draining) {
            return false;
        }
        draining = true;
        return true;
    }

    /**
     * Runs the queued deliveries one after another until none is left; one drainer at a time. On a
     * server event loop it stops after a few and continues in a task behind that loop's other work,
     * so a steady stream of posts cannot keep one loop from its own connections.
     */
    private void drain() {
        for (int budget = DRAIN_BUDGET; ; budget--) {
            if (budget == 0) {
                Scheduler loop = EventLoops.current();
                if (loop != null) {
                    loop.schedule(this::drain);
                    return;
                }
            }
            Runnable next;
            synchronized (lock) {
                next = deliveries.pollFirst();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // the deliveries behind this one must still go out
                LOG.warn("A delivery failed", e);
            }
        }
    }

    @Override
    public Mono<Void> delivered(long id) {
        return deliveredId >= id ? Mono.empty() : Mono.defer(() -> {
            // take the signal before the check, so a delivery in between is not missed
            Sinks.Empty<Void> next = nextDelivery;
            return deliveredId >= id ? Mono.empty() : next.asMono().then(delivered(id));
        });
    }

    @Override
    public List<ChatMessage> after(long afterId, int limit) {
        synchronized (lock) {
            return collectAfter(afterId, limit);
        }
    }

    @Override
    public List<ChatMessage> find(HistoryQuery query) {
        List<ChatMessage> result = new ArrayList<>();
        synchronized (lock) {
            if (history.isEmpty()) {
                return result;
            }
            // ids are contiguous from the oldest retained to lastId
            long low = Math.max(query.after() + 1, history.peekFirst().id());
            long high = Math.min(query.before() - 1, lastId);
            if (low > high || query.limit() < 1) {
                return result;
            }
            Iterator<ChatMessage> it = query.newest() ? history.descendingIterator() : history.iterator();
            for (long skip = query.newest() ? lastId - high : low - history.peekFirst().id(); skip > 0; skip--) {
                it.next();
            }
            for (long left = high - low + 1; left > 0 && result.size() < query.limit(); left--) {
                ChatMessage message = it.next();
                if (query.matches(message)) {
                    result.add(message);
                }
            }
        }
        if (query.newest()) {
            Collections.reverse(result);
        }
        return result;
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
    public List<ChatMessage> follow(long afterId, Subscriber follower) {
        synchronized (lock) {
            // deliveries still queued at registration may or may not reach this follower: the replay has them
            follower.skipThrough(lastId);
            if (closed) {
                follower.complete();
            } else {
                subscribers.add(follower);
            }
            return collectAfter(afterId, Integer.MAX_VALUE);
        }
    }

    @Override
    public void unfollow(Subscriber follower) {
        subscribers.remove(follower);
    }

    @Override
    public long lastFollowed() {
        return subscribers.lastFollowed();
    }

    @Override
    public void pollWaiting() {
        subscribers.pollWaiting();
    }

    @Override
    public void pollDone() {
        subscribers.pollDone();
    }

    @Override
    public Disposable nextAfter(long afterId, Runnable wake) {
        return nextPost.after(() -> afterId < lastId(), wake);
    }

    @Override
    @Nullable
    public String topic() {
        return topic;
    }

    @Override
    public void topic(@Nullable String topic) {
        this.topic = topic == null || topic.isEmpty() ? null : topic;
        topicChanges.tryEmitNext(this.topic == null ? "" : this.topic);
    }

    @Override
    public Flux<String> topics() {
        return topicChanges.asFlux();
    }

    @Override
    public void end() {
        nextPost.end(this::close);
    }

    @Override
    public boolean ended() {
        return nextPost.ended();
    }

    @Override
    public void close() {
        topicChanges.tryEmitComplete();
        account.close();
        boolean drain;
        synchronized (lock) {
            closed = true;
            // after the deliveries already queued, so every subscriber gets them before its end
            drain = enqueue(subscribers::completeAll);
        }
        if (drain) {
            drain();
        }
    }
}
