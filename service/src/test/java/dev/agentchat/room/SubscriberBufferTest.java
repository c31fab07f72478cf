package dev.agentchat.room;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriberBufferTest {
    @Test
    void keepsOrderAcrossManyChunks() {
        SubscriberBuffer<Integer> buffer = new SubscriberBuffer<>(1000);
        for (int i = 0; i < 1000; i++) {
            assertTrue(buffer.offer(i));
        }
        List<Integer> out = new ArrayList<>();
        for (Integer item = buffer.poll(); item != null; item = buffer.poll()) {
            out.add(item);
        }
        assertEquals(1000, out.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, out.get(i));
        }
        assertTrue(buffer.isEmpty());
    }

    @Test
    void refusesOnceFullAndAcceptsAgainAfterAPoll() {
        SubscriberBuffer<String> buffer = new SubscriberBuffer<>(3);
        assertTrue(buffer.offer("a"));
        assertTrue(buffer.offer("b"));
        assertTrue(buffer.offer("c"));
        assertFalse(buffer.offer("d"));
        assertEquals(3, buffer.size());
        assertEquals("a", buffer.poll());
        assertTrue(buffer.offer("d"));
        buffer.clear();
        assertEquals(0, buffer.size());
        assertNull(buffer.poll());
    }

    @Test
    void roomCutsOffASubscriberThatFallsAFullBufferBehind() {
        MemoryRoom room = new MemoryRoom(100, message -> "{}", Clock.systemUTC());
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<String> received = new ArrayList<>();
        BaseSubscriber<ChatMessage> reader = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // asks for nothing yet: a reader that has stopped reading
            }

            @Override
            protected void hookOnNext(ChatMessage message) {
                received.add(message.text());
            }

            @Override
            protected void hookOnError(Throwable throwable) {
                error.set(throwable);
            }
        };
        room.follow(0, 2).subscribe(reader);
        room.post(new Draft("a", "one", List.of(), null));
        room.post(new Draft("a", "two", List.of(), null));
        room.post(new Draft("a", "three", List.of(), null));
        reader.request(10);
        // the cut-off overtakes what was buffered; later posts no longer reach it
        room.post(new Draft("a", "four", List.of(), null));
        assertTrue(error.get() instanceof SlowSubscriberException, String.valueOf(error.get()));
        assertFalse(received.contains("three") || received.contains("four"), received.toString());
    }
}
