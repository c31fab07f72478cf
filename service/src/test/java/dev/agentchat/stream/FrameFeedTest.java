package dev.agentchat.stream;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.room.Draft;
import dev.agentchat.room.MemoryRoom;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.room.SlowSubscriberException;
import dev.agentchat.room.Subscriber;
import dev.agentchat.sse.FrameSink;
import dev.agentchat.sse.SseFrame;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameFeedTest {
    private static final FrameFeed.Endings NOT_TOLD = new FrameFeed.Endings(null, Mono.never(), Mono.never());
    private final MemoryRoom room = new MemoryRoom(100, message -> "{\"text\":\"" + message.text() + "\"}", Clock.systemUTC());
    private final Keepalives keepalives = new Keepalives(
        new RoomSettings("pw", 100, Duration.ofHours(1), Duration.ofSeconds(1), 1000, 1000, 25, 1 << 20, null));
    private final AtomicBoolean listenerClosed = new AtomicBoolean();
    private final Connection connection = new Connection();
    private final Reader reader = new Reader(connection);

    @AfterEach
    void stop() {
        keepalives.stop();
    }

    @Test
    void writesTheOpeningTheReplayAndLiveMessagesToTheConnectionFlushingOncePerBatch() {
        post("one");
        post("two");
        feed(0, 10, null).subscribe(reader);
        assertEquals(List.of(": connected", "one", "two"), connection.frames);
        assertEquals(1, connection.flushes);
        post("three");
        assertEquals(List.of(": connected", "one", "two", "three"), connection.frames);
        assertEquals(2, connection.flushes);
    }

    @Test
    void aLiveStreamStartsWhereTheRoomWasWhenTheRequestWasAnsweredNotWhenItsConnectionStarts() {
        post("before");
        FrameFeed feed = feed(-1, 10, null);
        post("while the connection starts");
        feed.subscribe(reader);
        assertEquals(List.of(": connected", "while the connection starts"), connection.frames);
    }

    @Test
    void stopsWritingWhileTheConnectionIsFullAndGoesOnOnceItTookWhatWasWaiting() {
        connection.writable = false;
        feed(-1, 10, null).subscribe(reader);
        post("one");
        post("two");
        assertEquals(List.of(), connection.frames);
        assertEquals(1, connection.waiting.size(), "one wait for the connection, however many wakes");
        connection.drained();
        assertEquals(List.of(": connected", "one", "two"), connection.frames);
    }

    @Test
    void aCutOffOvertakesTheBufferedMessagesAndLetsGoOfTheRoom() {
        connection.writable = false;
        feed(-1, 2, null).subscribe(reader);
        post("one");
        post("two");
        post("three");
        assertInstanceOf(SlowSubscriberException.class, reader.error.get());
        connection.drained();
        assertEquals(List.of(), connection.frames);
        assertTrue(listenerClosed.get());
    }

    @Test
    void keepaliveTicksWhileTheConnectionIsFullSendOneKeepaliveWhenItHasRoom() {
        FrameFeed feed = feed(-1, 10, null);
        feed.subscribe(reader);
        connection.writable = false;
        feed.keepalive();
        feed.keepalive();
        connection.drained();
        assertEquals(List.of(": connected", ": keepalive"), connection.frames);
    }

    @Test
    void extraEventsGoOutBetweenMessagesAndTheFeedFiltersByName() {
        FrameFeed feed = new FrameFeed(room, -1, new Subscriber.Limit(10, Long.MAX_VALUE), new FrameFeed.Plan(new MessageFrames(), "ops", id -> { },
            EventStream.KEEPALIVE, Flux.just(SseFrame.event("presence", "{}")), keepalives, () -> listenerClosed.set(true),
            UnaryOperator.identity(), NOT_TOLD));
        feed.subscribe(reader);
        room.post(new Draft("a", "not for ops", List.of(), null));
        room.post(new Draft("a", "for ops", List.of("ops"), null));
        assertEquals(List.of(": connected", "presence", "for ops"), connection.frames);
    }

    @Test
    void theStreamEndsAfterWhatWasWaitingWhenTheRoomCloses() {
        connection.writable = false;
        feed(-1, 10, null).subscribe(reader);
        post("last words");
        room.close();
        assertFalse(reader.completed.get(), "ended before what was waiting went out");
        connection.drained();
        assertEquals(List.of(": connected", "last words"), connection.frames);
        assertTrue(reader.completed.get());
        assertTrue(listenerClosed.get());
    }

    @Test
    void cancellingLetsGoOfThePresenceAndTheKeepalives() {
        FrameFeed feed = feed(-1, 10, null);
        feed.subscribe(reader);
        reader.cancel();
        assertTrue(listenerClosed.get());
        feed.keepalive();
        post("after the end");
        assertEquals(List.of(": connected"), connection.frames);
    }

    @Test
    void aSubscriberWithoutAConnectionIsRefusedAndThePresenceLetGo() {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        Flux.from(feed(-1, 10, null)).subscribe(frame -> { }, refusal::set);
        assertInstanceOf(IllegalStateException.class, refusal.get());
        assertTrue(listenerClosed.get());
        post("nobody follows");
        assertEquals(List.of(), connection.frames);
    }

    @Test
    void aStreamWhoseRoomEndsGetsWhatWasPostedThenWhyWhenItAskedAndEnds() {
        Connection quiet = new Connection();
        Reader quietReader = new Reader(quiet);
        feed(-1, 10, null).subscribe(quietReader);
        feed(-1, 10, null, told(Mono.never())).subscribe(reader);
        post("last words");
        room.end();
        assertEquals(List.of(": connected", "last words", "end room_not_found"), connection.frames);
        assertTrue(reader.completed.get());
        assertEquals(List.of(": connected", "last words"), quiet.frames);
        assertTrue(quietReader.completed.get());
    }

    @Test
    void aListenerLetGoEndsItsStreamAtOnceSayingWhyWhenItAsked() {
        Sinks.One<ApiException> kick = Sinks.one();
        feed(-1, 10, null, told(kick.asMono())).subscribe(reader);
        post("before");
        kick.tryEmitValue(ApiError.KICKED.exception());
        assertEquals(List.of(": connected", "before", "end kicked"), connection.frames);
        assertTrue(reader.completed.get());
        assertTrue(listenerClosed.get());
        post("after");
        assertEquals(3, connection.frames.size());
    }

    @Test
    void aStreamThatEndsOnlyForNowSaysNothingEvenWhenItAsked() {
        feed(-1, 10, null, told(Mono.never())).subscribe(reader);
        room.close(); // the server stopping: its client reconnects
        assertEquals(List.of(": connected"), connection.frames);
        assertTrue(reader.completed.get());
    }

    /** Endings told as an {@code end} event whose data is the reason's code. */
    private static FrameFeed.Endings told(Mono<ApiException> removal) {
        return new FrameFeed.Endings(reason -> SseFrame.event("end", reason.error().code()), removal, Mono.never());
    }

    private FrameFeed feed(long after, int buffer, String forName) {
        return feed(after, buffer, forName, NOT_TOLD);
    }

    private FrameFeed feed(long after, int buffer, String forName, FrameFeed.Endings endings) {
        return new FrameFeed(room, after, new Subscriber.Limit(buffer, Long.MAX_VALUE), new FrameFeed.Plan(new MessageFrames(), forName, id -> { },
            EventStream.KEEPALIVE, null, keepalives, () -> listenerClosed.set(true),
            UnaryOperator.identity(), endings));
    }

    private void post(String text) {
        room.post(new Draft("a", text, List.of(), null));
    }

    /**
     * A connection on an event loop that runs each task at once: records what is written (comments
     * as they are, events by their data's text or name) and is full while {@code writable} is false.
     */
    private static final class Connection implements FrameSink {
        final List<String> frames = new ArrayList<>();
        final List<Runnable> waiting = new ArrayList<>();
        boolean writable = true;
        int flushes;

        /** What was waiting went out: the connection has room again. */
        void drained() {
            writable = true;
            List<Runnable> then = List.copyOf(waiting);
            waiting.clear();
            then.forEach(Runnable::run);
        }

        @Override
        public EventExecutor loop() {
            return ImmediateEventExecutor.INSTANCE;
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void write(SseFrame frame) {
            String wire = frame.toString();
            if (wire.startsWith(":")) {
                frames.add(wire.strip());
            } else if (wire.contains("event: message")) {
                frames.add(wire.replaceAll("(?s).*\"text\":\"([^\"]*)\".*", "$1"));
            } else if (wire.contains("event: end")) {
                frames.add(wire.replaceAll("(?s)event: end\ndata: (\\w+).*", "end $1"));
            } else {
                frames.add(wire.replaceAll("(?s)event: (\\w+).*", "$1"));
            }
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void whenWritable(Runnable then) {
            waiting.add(then);
        }
    }

    /** The response body's side: gives the feed its connection and sees only how the stream ends. */
    private static final class Reader extends BaseSubscriber<SseFrame> {
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicBoolean completed = new AtomicBoolean();
        private final Context context;

        Reader(FrameSink connection) {
            this.context = Context.of(FrameSink.CONTEXT_KEY, connection);
        }

        @Override
        public Context currentContext() {
            return context;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(SseFrame frame) {
            throw new AssertionError("a feed writes to its connection, never to its subscriber: " + frame);
        }

        @Override
        protected void hookOnComplete() {
            completed.set(true);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }
    }
}
