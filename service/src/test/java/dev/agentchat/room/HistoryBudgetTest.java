package dev.agentchat.room;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The byte budgets of history, on rooms in memory. */
class HistoryBudgetTest {
    private static final String TEXT = "x".repeat(100);

    @Test
    void aRoomDropsItsOldestMessagesBeyondItsOwnBudget() {
        HistoryBudget budget = new HistoryBudget(1_000_000, 20_000, 4_000, 100);
        MemoryRoom room = room(budget);
        for (int i = 0; i < 1000; i++) {
            room.post(draft());
        }
        assertTrue(budget.used() <= 20_000, "holds " + budget.used());
        assertTrue(room.oldestId() > 1);
        assertEquals(1000, room.lastId());
        assertEquals(1000, room.after(room.oldestId() - 1, Integer.MAX_VALUE).get(room.after(room.oldestId() - 1,
            Integer.MAX_VALUE).size() - 1).id());
    }

    @Test
    void allRoomsTogetherStayWithinTheTotalAndEachKeepsItsReserve() {
        HistoryBudget budget = new HistoryBudget(40_000, 30_000, 8_000, 100);
        MemoryRoom quiet = room(budget);
        for (int i = 0; i < 10; i++) {
            quiet.post(draft());
        }
        long quietBytes = budget.used();
        MemoryRoom busy = room(budget);
        for (int i = 0; i < 2000; i++) {
            busy.post(draft());
        }
        assertTrue(budget.used() <= 40_000, "holds " + budget.used());
        assertEquals(1, quiet.oldestId(), "the busy room pushed out the quiet one's history");
        assertTrue(quietBytes < 8_000);
        assertTrue(busy.oldestId() > 1);
    }

    @Test
    void aRoomWhoseReserveDoesNotFitIsRefusedUntilAnotherIsGone() {
        HistoryBudget budget = new HistoryBudget(40_000, 30_000, 10_000, 100);
        List<MemoryRoom> rooms = List.of(room(budget), room(budget), room(budget), room(budget));
        ApiException refused = assertThrows(ApiException.class, () -> room(budget));
        assertEquals(ApiError.MEMORY_FULL, refused.error());
        assertEquals(40_000L, refused.limit());
        assertTrue(refused.retryAfterSeconds() > 0);
        rooms.get(0).close();
        room(budget).post(draft());
    }

    @Test
    void aGoneRoomGivesItsBytesBack() {
        HistoryBudget budget = new HistoryBudget(1_000_000, 100_000, 4_000, 100);
        MemoryRoom room = room(budget);
        for (int i = 0; i < 50; i++) {
            room.post(draft());
        }
        assertTrue(budget.used() > 0);
        room.close();
        assertEquals(0, budget.used());
    }


    private static MemoryRoom room(HistoryBudget budget) {
        return new MemoryRoom(10_000, budget, message -> "{\"text\":\"" + message.text() + "\"}", Clock.systemUTC());
    }

    private static Draft draft() {
        return new Draft("agent", TEXT, List.of(), null);
    }
}
