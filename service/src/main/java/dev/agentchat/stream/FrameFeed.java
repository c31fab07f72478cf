package dev.agentchat.stream;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.presence.Presence;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Room;
import dev.agentchat.room.SlowSubscriberException;
import dev.agentchat.room.Subscriber;
import dev.agentchat.sse.SseFrame;
import dev.agentchat.sse.FrameSink;
import io.micronaut.core.annotation.Nullable;
import io.netty.util.concurrent.EventExecutor;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * One event stream's frames, in the order the client reads them: the opening frames, the replay, then
 * live messages as the room offers them, with keepalives and any extra events in between. It is one
 * drain loop, not a chain of operators: per message the room's thread only adds it to the follower's
 * buffer and wakes the feed, and the feed writes the message's shared frame to the connection's
 * {@link FrameSink} on the connection's own event loop (so a fan-out runs on every core).
 *
 * <p>As a publisher it emits no items: its subscriber (the framework's response body) finds the sink
 * in its context, and follows only the stream's end (completed when the room closes, an error when
 * the reader is cut off) and cancels it when the connection closes. Nothing queues here either: the
 * feed writes while the connection is writable, so a client that stops reading leaves messages in the
 * follower's buffer, where the room cuts it off once that is full; the cut-off ends the feed ahead of
 * what is buffered.
 */
final class FrameFeed implements Publisher<SseFrame>, Subscription {
    /** Extra events (presence, topic, coordination) waiting for a slow reader; beyond this they are dropped, as their sources drop them. */
    private static final int EXTRAS_WAITING = 64;

    private final Room room;
    /** Replay messages after this id. */
    private final long after;
    /** The client asked to resume (so it hears when that is no longer possible: {@code truncated}). */
    private final boolean resuming;
    private final Subscriber follower;
    private final Plan plan;
    private final AtomicInteger wip = new AtomicInteger();
    private final Runnable drain = this::drain;
    @Nullable
    private final Queue<SseFrame> extras;

    private org.reactivestreams.Subscriber<? super SseFrame> downstream;
    private FrameSink sink;
    private boolean waitingToWrite;
    private volatile boolean subscribed;
    private volatile boolean cancelled;
    private volatile boolean keepaliveDue;
    @Nullable
    private volatile Throwable failure;
    @Nullable
    private Disposable extrasSubscription;
    @Nullable
    private Disposable removalSubscription;
    /** Why the room let the listener go (a kick): the stream ends with it at once. */
    @Nullable
    private volatile ApiException removed;
    /** The stream is to end as a loss ({@link Endings#lost}), at once. */
    private volatile boolean lost;
    @Nullable
    private Disposable lossSubscription;
    // touched only by the drain loop once subscribed
    private SseFrame[] opening;
    private int openingSent;
    private List<ChatMessage> replay = List.of();
    private int replaySent;
    private boolean done;

    /**
     * What one stream sends besides the room's messages, and what it tells as it goes.
     *
     * @param frames    frames messages once for every stream
     * @param forName   only messages that concern this name (may be null)
     * @param seen      told the id of each message handed to the connection
     * @param keepalive the frame each keepalive tick sends
     * @param extraEvents extra events to interleave (may be null)
     * @param keepalives the ticks this feed follows while it is open
     * @param listener  closed when the feed ends (presence)
     * @param replayed  the replay as it is now (the acknowledgements made since each message was posted);
     *                  live messages have none yet and keep their shared frames
     * @param endings   the last frame of a stream that ends for good, and what ends it besides its room
     */
    record Plan(MessageFrames frames, @Nullable String forName, LongConsumer seen, SseFrame keepalive,
                @Nullable Flux<SseFrame> extraEvents, Keepalives keepalives, Presence.Listener listener,
                UnaryOperator<List<ChatMessage>> replayed, Endings endings) {
    }

    /**
     * How a stream ends for good, as opposed to a loss its client recovers from (a server stopping, a
     * slow reader cut off): its room ended ({@code room_not_found}), or the room let its listener go
     * ({@code kicked}). Its last frame then says so, as the answer to its next request would.
     *
     * @param told    the last frame for a reason, or null when the client did not ask for it ({@code events=end})
     * @param removal emits when the listener is let go; never, for a stream without a listener
     * @param lost    emits when the stream is to end as a loss, its client to come back (as whoever it
     *                is then); never, for most streams
     */
    record Endings(@Nullable Function<ApiException, SseFrame> told, Mono<ApiException> removal, Mono<?> lost) {
    }

    /**
     * @param room   the room to follow
     * @param after  replay messages after this id; -1 for live messages only
     * @param buffer how much may wait for this client before it is cut off
     */
    FrameFeed(Room room, long after, Subscriber.Limit buffer, Plan plan) {
        this.room = room;
        // a live stream starts at the room's newest message when the request is answered, not when its
        // connection starts writing: the listener already shows as online, and a message posted in
        // between is replayed instead of missed
        this.resuming = after >= 0;
        // asked of a resumed stream too: a store that is away (Redis) is then refused before the answer
        // starts (503), not met by the started stream, whose only way out is to drop the connection
        long newest = room.lastId();
        this.after = resuming ? after : newest;
        this.plan = plan;
        this.follower = new Subscriber(buffer, this::wakeLater);
        this.extras = plan.extraEvents() == null ? null : Queues.<SseFrame>get(EXTRAS_WAITING).get();
    }

    @Override
    public void subscribe(org.reactivestreams.Subscriber<? super SseFrame> subscriber) {
        if (downstream != null) {
            Operators.error(subscriber, new IllegalStateException("an event stream is written to one connection"));
            return;
        }
        downstream = subscriber;
        FrameSink found = subscriber instanceof CoreSubscriber<?> core
            ? core.currentContext().getOrDefault(FrameSink.CONTEXT_KEY, null) : null;
        if (found == null) {
            plan.listener().close();
            Operators.error(subscriber, new IllegalStateException("an event stream is written to a FrameSink in its context"));
            return;
        }
        sink = found;
        try {
            start();
        } catch (RuntimeException e) {
            failure = e;
        }
        subscriber.onSubscribe(this);
        subscribed = true;
        wake();
    }

    /** Registers with the room, the keepalive ticks and the extra events, and takes the opening frames. */
    private void start() {
        long last = room.lastId();
        long from = after > last ? 0 : after;
        long oldest = room.oldestId();
        opening = resuming && from < oldest - 1
            ? new SseFrame[] {EventStream.CONNECTED,
                SseFrame.event(SseFrame.TRUNCATED, "{\"requested\":" + from + ",\"oldest\":" + oldest + "}")}
            : new SseFrame[] {EventStream.CONNECTED};
        replay = plan.replayed().apply(room.follow(from, follower));
        plan.keepalives().add(this);
        removalSubscription = plan.endings().removal().subscribe(reason -> {
            removed = reason;
            wakeLater();
        });
        lossSubscription = plan.endings().lost().subscribe(signal -> {
            lost = true;
            wakeLater();
        });
        if (plan.extraEvents() != null) {
            extrasSubscription = plan.extraEvents().subscribe(
                frame -> {
                    // extra events come one at a time (their sources are merged), so one producer
                    if (extras.offer(frame)) {
                        wakeLater();
                    }
                },
                error -> {
                    failure = error;
                    wakeLater();
                });
        }
    }

    /** A keepalive tick: one keepalive goes out when the connection next asks for something. */
    void keepalive() {
        keepaliveDue = true;
        wakeLater();
    }

    /** The connection took what was waiting: writing goes on. */
    private void writable() {
        waitingToWrite = false;
        wake();
    }

    @Override
    public void request(long n) {
        // no items are emitted: the frames go to the sink, as fast as the connection takes them
    }

    @Override
    public void cancel() {
        cancelled = true;
        wake();
    }

    /**
     * Runs the drain loop on the connection's event loop: at once when already there (the connection
     * starting, taking what was waiting, or closing), else as a task there.
     */
    private void wake() {
        wake(true);
    }

    /**
     * Runs the drain loop as a task on the connection's event loop, even when already on it: the room
     * offers a message to every follower from one thread, which must not write to the followers that
     * share its loop before it has offered the message to all of them.
     */
    private void wakeLater() {
        wake(false);
    }

    private void wake(boolean atOnceOnTheLoop) {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        // nothing wakes the feed before it has its sink: the room, the ticks and the subscriber come after
        EventExecutor on = sink.loop();
        if (atOnceOnTheLoop && on.inEventLoop()) {
            drain();
        } else {
            on.execute(drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            if (subscribed && !done) {
                drainOnce();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        if (cancelled) {
            finish();
            return;
        }
        ApiException removal = removed;
        if (removal != null || lost) {
            end(removal);
            return;
        }
        Throwable error = failure != null ? failure : follower.isCutOff() ? new SlowSubscriberException() : null;
        if (error != null) {
            finish();
            downstream.onError(error);
            return;
        }
        boolean wrote = false;
        while (!waitingToWrite) {
            if (!sink.writable()) {
                waitingToWrite = true;
                sink.whenWritable(this::writable);
                break;
            }
            SseFrame frame = next();
            if (frame == null) {
                break;
            }
            sink.write(frame);
            wrote = true;
        }
        if (wrote) {
            sink.flush();
        }
        if (follower.isComplete() && openingSent == opening.length && replaySent == replay.size()) {
            end(room.ended() ? ApiError.ROOM_NOT_FOUND.exception() : null);
        }
    }

    /**
     * Ends the stream; one that ends for good ({@code reason}) says why first, when its client asked,
     * whether the connection has room for it or not (it is one small frame).
     */
    private void end(@Nullable ApiException reason) {
        Function<ApiException, SseFrame> told = plan.endings().told();
        if (reason != null && told != null) {
            sink.write(told.apply(reason));
            sink.flush();
        }
        finish();
        downstream.onComplete();
    }

    /** The next frame to send, or null when nothing is waiting. */
    @Nullable
    private SseFrame next() {
        if (openingSent < opening.length) {
            return opening[openingSent++];
        }
        while (replaySent < replay.size()) {
            ChatMessage message = replay.get(replaySent++);
            if (wanted(message)) {
                return frame(message);
            }
        }
        SseFrame extra = extras == null ? null : extras.poll();
        if (extra != null) {
            return extra;
        }
        for (ChatMessage message = follower.poll(); message != null; message = follower.poll()) {
            if (wanted(message)) {
                return frame(message);
            }
        }
        if (keepaliveDue) {
            keepaliveDue = false;
            return plan.keepalive();
        }
        return null;
    }

    private boolean wanted(ChatMessage message) {
        return plan.forName() == null || message.concerns(plan.forName());
    }

    private SseFrame frame(ChatMessage message) {
        plan.seen().accept(message.id());
        return plan.frames().of(message);
    }

    /** Lets go of everything the feed registered with, once. */
    private void finish() {
        done = true;
        replay = List.of();
        room.unfollow(follower);
        plan.keepalives().remove(this);
        if (extrasSubscription != null) {
            extrasSubscription.dispose();
        }
        if (removalSubscription != null) {
            removalSubscription.dispose();
        }
        if (lossSubscription != null) {
            lossSubscription.dispose();
        }
        plan.listener().close();
    }
}
