package dev.agentchat.room;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The long-polls' wait for a room's next post or its end, shared by the room in memory and the one in Redis. */
class NextPostTest {
    private final NextPost next = new NextPost();
    private final AtomicInteger woken = new AtomicInteger();

    @Test
    void aPollWithANewerMessageAlreadyThereIsWokenAtOnceAndNotAgain() {
        next.after(() -> true, woken::incrementAndGet);
        next.posted();

        assertEquals(1, woken.get());
    }

    @Test
    void aPostBetweenTakingTheSignalAndCheckingForNewerMessagesIsNotMissed() {
        next.after(() -> {
            next.posted(); // stored and announced while the poll was checking, after it took the signal
            return false;
        }, woken::incrementAndGet);

        assertEquals(1, woken.get());
    }

    @Test
    void eachPostWakesThePollsWaitingThenAndOnlyThose() {
        next.after(() -> false, woken::incrementAndGet);
        next.posted();
        next.after(() -> false, woken::incrementAndGet);

        assertEquals(1, woken.get());
        next.posted();
        assertEquals(2, woken.get());
    }

    @Test
    void theEndIsMarkedBeforeTheRoomClosesAndWakesThePolls() {
        AtomicBoolean endedWhenClosing = new AtomicBoolean();
        next.after(() -> false, woken::incrementAndGet);

        next.end(() -> endedWhenClosing.set(next.ended()));

        assertTrue(endedWhenClosing.get(), "streams ended by the close answer that the room is gone");
        assertEquals(1, woken.get());
    }
}
