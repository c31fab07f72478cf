package dev.agentchat.stream;

import dev.agentchat.room.Draft;
import dev.agentchat.room.MemoryRoom;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.room.SlowSubscriberException;
import dev.agentchat.sse.SseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameFeedTest {
    private final MemoryRoom room = new MemoryRoom(100, message -> "{\"text\":\"" + message.text() + "\"}", Clock.systemUTC());
    private final Keepalives keepalives = new Keepalives(
        new RoomSettings("pw", 100, Duration.ofHours(1), Duration.ofSeconds(1), 1000, 1000, 25, null));
    private final AtomicBoolean listenerClosed = new AtomicBoolean();
    private final Reader reader = new Reader();

    @AfterEach
    void stop() {
        keepalives.stop();
    }

    @Test
    void sendsTheOpeningTheReplayAndLiveMessagesOnlyAsTheConnectionAsksForThem() {
        post("one");
        post("two");
        FrameFeed feed = feed(0, 10, null);
        feed.subscribe(reader);
        assertEquals(List.of(), reader.frames);
        reader.request(1);
        assertEquals(List.of(": connected"), reader.frames);
        reader.request(2);
        assertEquals(List.of(": connected", "one", "two"), reader.frames);
        post("three");
        assertEquals(3, reader.frames.size());
        reader.request(5);
        assertEquals(List.of(": connected", "one", "two", "three"), reader.frames);
        post("four");
        assertEquals(List.of(": connected", "one", "two", "three", "four"), reader.frames);
    }

    @Test
    void aCutOffOvertakesTheBufferedMessagesAndLetsGoOfTheRoom() {
        FrameFeed feed = feed(-1, 2, null);
        feed.subscribe(reader);
        reader.request(1);
        post("one");
        post("two");
        post("three");
        assertInstanceOf(SlowSubscriberException.class, reader.error.get());
        assertEquals(List.of(": connected"), reader.frames);
        assertTrue(listenerClosed.get());
    }

    @Test
    void aKeepaliveTickSendsOneKeepaliveWhenTheConnectionNextAsks() {
        FrameFeed feed = feed(-1, 10, null);
        feed.subscribe(reader);
        reader.request(1);
        feed.keepalive();
        feed.keepalive();
        reader.request(5);
        assertEquals(List.of(": connected", ": keepalive"), reader.frames);
    }

    @Test
    void extraEventsGoOutBetweenMessagesAndTheFeedFiltersByName() {
        FrameFeed feed = new FrameFeed(room, -1, 10, new FrameFeed.Plan(new MessageFrames(), "ops", id -> { },
            EventStream.KEEPALIVE, Flux.just(SseFrame.event("presence", "{}")), keepalives, () -> listenerClosed.set(true)));
        feed.subscribe(reader);
        reader.request(10);
        room.post(new Draft("a", "not for ops", List.of(), null));
        room.post(new Draft("a", "for ops", List.of("ops"), null));
        assertEquals(List.of(": connected", "presence", "for ops"), reader.frames);
    }

    @Test
    void cancellingLetsGoOfThePresenceAndTheKeepalives() {
        FrameFeed feed = feed(-1, 10, null);
        feed.subscribe(reader);
        reader.cancel();
        assertTrue(listenerClosed.get());
        feed.keepalive();
        post("after the end");
        assertEquals(List.of(), reader.frames);
    }

    private FrameFeed feed(long after, int buffer, String forName) {
        return new FrameFeed(room, after, buffer, new FrameFeed.Plan(new MessageFrames(), forName, id -> { },
            EventStream.KEEPALIVE, null, keepalives, () -> listenerClosed.set(true)));
    }

    private void post(String text) {
        room.post(new Draft("a", text, List.of(), null));
    }

    /** Records what the feed sends: comments as they are, events by their data's text or name. */
    private static final class Reader extends BaseSubscriber<SseFrame> {
        final List<String> frames = new ArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // asks for nothing until the test does
        }

        @Override
        protected void hookOnNext(SseFrame frame) {
            String wire = frame.toString();
            if (wire.startsWith(":")) {
                frames.add(wire.strip());
            } else if (wire.contains("event: message")) {
                frames.add(wire.replaceAll("(?s).*\"text\":\"([^\"]*)\".*", "$1"));
            } else {
                frames.add(wire.replaceAll("(?s)event: (\\w+).*", "$1"));
            }
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }
    }
}
