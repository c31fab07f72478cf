package dev.agentchat.room;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriberBufferTest {
    @Test
    void keepsOrderAcrossManyChunks() {
        SubscriberBuffer<Integer> buffer = new SubscriberBuffer<>(1000, Long.MAX_VALUE, item -> 1);
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
        SubscriberBuffer<String> buffer = new SubscriberBuffer<>(3, Long.MAX_VALUE, item -> 1);
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
    void refusesOnceItsItemsWeighMoreThanItsBytesButAlwaysTakesOne() {
        SubscriberBuffer<String> buffer = new SubscriberBuffer<>(100, 10, String::length);
        assertTrue(buffer.offer("a".repeat(25)), "one item, however large");
        assertFalse(buffer.offer("b"));
        assertEquals("a".repeat(25), buffer.poll());
        assertTrue(buffer.offer("c".repeat(6)));
        assertTrue(buffer.offer("d".repeat(4)));
        assertFalse(buffer.offer("e"), "10 bytes held");
        buffer.poll();
        assertTrue(buffer.offer("e".repeat(6)));
    }

    @Test
    void roomCutsOffAFollowerThatFallsAFullBufferBehindAndOffersItNothingMore() {
        MemoryRoom room = new MemoryRoom(100, message -> "{}", Clock.systemUTC());
        AtomicInteger wakes = new AtomicInteger();
        Subscriber follower = new Subscriber(new Subscriber.Limit(2, Long.MAX_VALUE), wakes::incrementAndGet);
        assertEquals(List.of(), room.follow(0, follower));
        room.post(new Draft("a", "one", List.of(), null));
        room.post(new Draft("a", "two", List.of(), null));
        assertFalse(follower.isCutOff());
        room.post(new Draft("a", "three", List.of(), null));
        room.post(new Draft("a", "four", List.of(), null));
        assertTrue(follower.isCutOff());
        // two offers and the cut-off woke the reader; "four" never reached the follower
        assertEquals(3, wakes.get());
        assertEquals("one", follower.poll().text());
        assertEquals("two", follower.poll().text());
        assertNull(follower.poll());
    }

    @Test
    void followerGetsItsReplayThenLiveMessagesUntilUnfollowed() {
        MemoryRoom room = new MemoryRoom(100, message -> "{}", Clock.systemUTC());
        room.post(new Draft("a", "one", List.of(), null));
        Subscriber follower = new Subscriber(new Subscriber.Limit(10, Long.MAX_VALUE), () -> { });
        assertEquals(List.of("one"), room.follow(0, follower).stream().map(ChatMessage::text).toList());
        room.post(new Draft("a", "two", List.of(), null));
        room.unfollow(follower);
        room.post(new Draft("a", "three", List.of(), null));
        assertEquals("two", follower.poll().text());
        assertNull(follower.poll());
    }

    @Test
    void aFollowerThatComesAfterTheRoomClosedGetsTheReplayAndIsCompleted() {
        MemoryRoom room = new MemoryRoom(100, message -> "{}", Clock.systemUTC());
        room.post(new Draft("a", "one", List.of(), null));
        room.close();
        Subscriber follower = new Subscriber(new Subscriber.Limit(10, Long.MAX_VALUE), () -> { });
        assertEquals(List.of("one"), room.follow(0, follower).stream().map(ChatMessage::text).toList());
        assertTrue(follower.isComplete());
    }
}
