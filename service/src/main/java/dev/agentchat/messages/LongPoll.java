package dev.agentchat.messages;

import dev.agentchat.error.ApiError;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Room;
import dev.agentchat.transport.ClientDeparture;
import dev.agentchat.transport.EventLoops;
import io.micronaut.core.annotation.Nullable;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One long-poll: answers at once when there is something newer than the cursor (for the reader, if
 * filtered; at most an answer's worth, its cursor at the last one given), otherwise waits for the next post until the time is up. At shutdown it answers at once
 * with what there is; when its room ends (its host ended it, or its TTL passed) it answers at once
 * {@code 404 room_not_found}, unless it has messages to give first; when its client closes the
 * connection it ends without an answer.
 */
final class LongPoll {
    private final Room room;
    @Nullable
    private final String forName;
    private final ConnectionSlots slots;
    private final PollExecutors offLoop;
    /** The first of the messages found that one answer holds (bounded in bytes). */
    private final UnaryOperator<List<ChatMessage>> firstAnswer;

    LongPoll(Room room, @Nullable String forName, ConnectionSlots slots, PollExecutors offLoop,
             UnaryOperator<List<ChatMessage>> firstAnswer) {
        this.room = room;
        this.forName = forName;
        this.slots = slots;
        this.offLoop = offLoop;
        this.firstAnswer = firstAnswer;
    }

    /** The answer: the messages, and the cursor for the next call. */
    record Result(List<ChatMessage> messages, long next) {
    }

    Mono<Result> poll(long after, Duration hold) {
        if (hold.isZero()) {
            return Mono.fromSupplier(() -> read(after));
        }
        long deadline = System.nanoTime() + hold.toNanos();
        // a post wakes every waiting poll from one thread; each answer is made on its own loop
        EventExecutor current = EventLoops.currentLoop();
        EventExecutor loop = current == null ? offLoop.next() : current;
        Future<Void> departure = ClientDeparture.ofCurrentRequest();
        return Mono.create(sink -> new Wait(sink, after, deadline, loop, departure).start());
    }

    private Result read(long after) {
        long last = room.lastId();
        // a cursor beyond the newest id comes from before a restart: everything retained is new to it
        long from = after > last ? 0 : after;
        return result(room.after(from, Integer.MAX_VALUE), Math.max(from, last));
    }

    /**
     * A check after the first, most often one a post woke: the read its polls share. Only when that
     * finds nothing does it read afresh as the first check does, the newest id included (a store that
     * restarted empty since the first check).
     */
    private Result readAgain(long after) {
        List<ChatMessage> messages = room.afterWake(after);
        return messages.isEmpty() ? read(after) : result(messages, after);
    }

    /** The answer: as many of {@code messages} as one answer holds, its cursor at the last of them. */
    private Result result(List<ChatMessage> found, long nextIfNone) {
        List<ChatMessage> messages = firstAnswer.apply(found);
        long next = messages.isEmpty() ? nextIfNone : messages.get(messages.size() - 1).id();
        if (forName != null) {
            messages = messages.stream().filter(m -> m.concerns(forName)).toList();
        }
        return new Result(messages, next);
    }

    /**
     * A poll's whole wait as one object: it is the room's and the shutdown's waiter, the timer's task
     * and the connection's close listener, where a reactive chain took dozens of objects per waiting
     * poll, which a young collection had to copy while it waited. Its checks run one at a time on
     * the poll's own event loop, so its timer is set and cancelled by the loop that owns it.
     */
    private final class Wait implements Runnable, GenericFutureListener<Future<Void>> {
        private final MonoSink<Result> sink;
        private final long deadline;
        private final EventExecutor loop;
        @Nullable
        private final Future<Void> departure;
        private final Runnable checkOnLoop = this::check;
        private long cursor;
        private boolean expired;
        /** Whether the first check is done: later ones are wake-ups, the timer's or the shutdown's. */
        private boolean waiting;
        private volatile boolean done;
        private volatile Disposable nextPost;
        private volatile Disposable closing;
        private volatile Future<?> timer;
        /** Whether the room counts this poll among its followers ({@link Room#pollWaiting}); guarded by this. */
        private boolean following;

        Wait(MonoSink<Result> sink, long cursor, long deadline, EventExecutor loop, @Nullable Future<Void> departure) {
            this.sink = sink;
            this.cursor = cursor;
            this.deadline = deadline;
            this.loop = loop;
            this.departure = departure;
        }

        void start() {
            sink.onDispose(this::stop);
            if (departure != null) {
                departure.addListener(this);
            }
            closing = slots.whenClosing(this);
            if (done) {
                closing.dispose();
            }
            if (loop.inEventLoop()) {
                check();
            } else {
                loop.execute(checkOnLoop);
            }
        }

        /** A post or the shutdown: check again on the poll's loop. */
        @Override
        public void run() {
            if (!done) {
                loop.execute(checkOnLoop);
            }
        }

        /** The client left. */
        @Override
        public void operationComplete(Future<Void> closed) {
            sink.success();
        }

        private void check() {
            if (done) {
                return;
            }
            try {
                checkNow();
            } catch (RuntimeException failure) {
                // a store that is away (Redis): answered as any request that meets it is, never left waiting
                sink.error(failure);
            }
        }

        private void checkNow() {
            Disposable previous = nextPost;
            if (previous != null) {
                previous.dispose();
            }
            Result result = waiting ? readAgain(cursor) : read(cursor);
            if (result.messages().isEmpty() && room.ended()) {
                sink.error(ApiError.ROOM_NOT_FOUND.exception());
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (!result.messages().isEmpty() || remaining <= 0 || expired || slots.closing()) {
                sink.success(result);
                return;
            }
            cursor = result.next();
            if (!waiting) {
                follow();
            }
            waiting = true;
            // a post after the read wakes it at once: nothing is missed, and a poll answered at once
            // never joins the room's waiters
            Disposable next = room.nextAfter(cursor, this);
            nextPost = next;
            if (done) {
                next.dispose();
                return;
            }
            if (timer == null) {
                timer = loop.schedule(this::expire, remaining, TimeUnit.NANOSECONDS);
            }
            if (room.ended()) {
                run(); // it ended after the check above: its wake-up may have come before this waiter
            }
        }

        private void expire() {
            expired = true;
            check();
        }

        /** While it waits, the poll keeps its room alive as an open stream does: it may wait as long as the room's TTL. */
        private synchronized void follow() {
            if (!done) {
                following = true;
                room.pollWaiting();
            }
        }

        private synchronized void unfollow() {
            if (following) {
                following = false;
                room.pollDone();
            }
        }

        private void stop() {
            done = true;
            unfollow();
            Disposable next = nextPost;
            if (next != null) {
                next.dispose();
            }
            Disposable shutdown = closing;
            if (shutdown != null) {
                shutdown.dispose();
            }
            Future<?> expiry = timer;
            if (expiry != null) {
                expiry.cancel(false);
            }
            if (departure != null) {
                departure.removeListener(this);
            }
        }
    }
}
