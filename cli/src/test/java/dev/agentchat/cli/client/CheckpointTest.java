package dev.agentchat.cli.client;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertSame;

/** Which of an agent's two cursors a read or wait for its mentions starts from. */
class CheckpointTest {
    private static final OffsetDateTime NOON = OffsetDateTime.of(2026, 12, 5, 12, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void inOneRoomTheCursorFurtherOnIsTheLater() {
        Checkpoint read = anchored(7, NOON.plusMinutes(7));
        Checkpoint mentions = anchored(3, NOON.plusMinutes(3));

        assertSame(read, Checkpoint.later(read, mentions));
        assertSame(read, Checkpoint.later(mentions, read));
    }

    @Test
    void aRestartedRoomsCursorIsTheLaterThoughItsIdIsSmaller() {
        Checkpoint beforeRestart = anchored(40, NOON);
        Checkpoint afterRestart = anchored(2, NOON.plusMinutes(1));

        assertSame(afterRestart, Checkpoint.later(beforeRestart, afterRestart));
        assertSame(afterRestart, Checkpoint.later(afterRestart, beforeRestart));
    }

    @Test
    void oneIdAtTwoTimesIsTwoRoomsAndTheNewerTimeIsTheRoomsNow() {
        Checkpoint beforeRestart = anchored(5, NOON);
        Checkpoint afterRestart = anchored(5, NOON.plusSeconds(30));

        assertSame(afterRestart, Checkpoint.later(afterRestart, beforeRestart));
    }

    @Test
    void cursorsWithoutAnchorsAreJudgedByPlaceAndLevelOnesGiveTheSecond() {
        Checkpoint five = Checkpoint.at(5);
        Checkpoint alsoFive = Checkpoint.at(5);

        assertSame(five, Checkpoint.later(five, Checkpoint.at(4)));
        assertSame(alsoFive, Checkpoint.later(five, alsoFive));
    }

    @Test
    void theSameMomentInAnotherOffsetIsTheSameTime() {
        Checkpoint utc = anchored(5, NOON);
        Checkpoint elsewhere = anchored(5, NOON.withOffsetSameInstant(ZoneOffset.ofHours(2)));

        assertSame(elsewhere, Checkpoint.later(utc, elsewhere), "level: the second");
    }

    private static Checkpoint anchored(long id, OffsetDateTime timestamp) {
        return new Checkpoint(id, new Checkpoint.Anchor(id, timestamp));
    }
}
