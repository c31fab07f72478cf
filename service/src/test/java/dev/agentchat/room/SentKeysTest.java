package dev.agentchat.room;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How long a room in memory remembers a sender's key: while its message is kept, for at most ten minutes. */
class SentKeysTest {
    private Instant now = Instant.parse("2026-12-06T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final MemoryRoom room = new MemoryRoom(3, message -> "{}", clock);

    private static Draft keyed(String agent, String text, String key) {
        return new Draft(agent, text, List.of(), null, Draft.AGENT, false, false, key);
    }

    @Test
    void aKeyedDraftPostedTwiceIsStoredOnce() {
        ChatMessage first = room.post(keyed("coder", "hi", "k"));
        assertEquals(first, room.post(keyed("CODER", "hi", "k")));
        assertEquals(1, room.lastId());
        assertEquals(first, room.sent("coder", "k"));
    }

    @Test
    void aKeyIsForgottenAfterTenMinutes() {
        room.post(keyed("coder", "hi", "k"));
        now = now.plus(Duration.ofMinutes(10)).plusSeconds(1);
        assertNull(room.sent("coder", "k"));
        assertEquals(2, room.post(keyed("coder", "hi", "k")).id());
    }

    @Test
    void aKeyIsForgottenWithItsMessage() {
        room.post(keyed("coder", "hi", "k"));
        for (int i = 0; i < 3; i++) {
            room.post(keyed("planner", "next " + i, null));
        }
        assertNull(room.sent("coder", "k"), "its message left the history");
        assertEquals(5, room.post(keyed("coder", "hi", "k")).id());
    }

    @Test
    void aRoomRemembersItsNewestThousandKeys() {
        MemoryRoom large = new MemoryRoom(5_000, message -> "{}", clock);
        for (int i = 0; i <= SentKeys.MOST; i++) {
            large.post(keyed("coder", "message " + i, "k" + i));
        }
        assertNull(large.sent("coder", "k0"));
        assertEquals(2, large.sent("coder", "k1").id());
    }
}
