package dev.agentchat.client.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The follow contract of {@code docs/following.md} as one suite. Each follower (the CLI, the Java,
 * TypeScript and Python clients, the web UI) runs it by extending this class with {@link #follow}; every scenario
 * goes through the {@link FaultProxy} in front of a real server.
 */
public abstract class FollowConformance extends FollowedRoom {
    /** The silence timeout every follower under test is given (45 s in use). */
    public static final Duration SILENCE = Duration.ofSeconds(2);
    /** The open timeout every follower under test is given (10 s in use). */
    public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);
    /** The stream retry interval every follower under test is given (30 s in use). */
    public static final Duration STREAM_RETRY = Duration.ofSeconds(1);
    /** The longest a follower waits between two tries (docs/following.md, "Backoff"): after a long outage, its next try may be this far off. */
    public static final Duration LONGEST_BACKOFF = Duration.ofSeconds(15);

    /** A follower of the room at {@code url}, from its beginning, with the timeouts above. */
    protected abstract Follower follow(String url, String password);

    /** What a test sees of a follower. */
    public interface Follower extends AutoCloseable {
        /** The texts of the messages delivered so far, in order. */
        List<String> texts();

        /** Why the follower stopped by itself, or null while it runs. */
        String error();

        /** Whether the follower has reported a lost connection ("reconnecting") so far. */
        boolean reportedALoss();

        /**
         * Whether the follower has reported a restarted room so far (the libraries' restart callback);
         * only the suites of the Java, TypeScript and Python followers ask.
         */
        default boolean reportedARestart() {
            throw new UnsupportedOperationException("this follower does not say");
        }

        /**
         * The messages the room had dropped before they could be delivered, as reported so far (the
         * libraries' truncated callback): one {@code "requested oldest"} per report; only the suites of
         * the Java, TypeScript and Python followers ask.
         */
        default List<String> truncations() {
            throw new UnsupportedOperationException("this follower does not say");
        }

        @Override
        void close();
    }

    @Test
    void deliversTheHistoryThenNewMessagesInOrder() {
        room.post("alice", "one");
        room.post("bob", "two");
        Follower f = start();
        awaitTexts(f, "one", "two");

        room.post("alice", "three");

        awaitTexts(f, "one", "two", "three");
    }

    @Test
    void resumesAfterACutConnectionWithoutLossOrDuplicates() {
        room.post("alice", "one");
        Follower f = start();
        awaitTexts(f, "one");
        awaitStreaming();

        room.proxy().cut();
        room.post("alice", "two");
        room.post("bob", "three");
        awaitTexts(f, "one", "two", "three");
        room.proxy().cut();
        room.post("alice", "four");

        awaitTexts(f, "one", "two", "three", "four");
    }

    @Test
    void fallsBackToLongPollWhileTheStreamIsBlockedAndReturnsToItAfterwards() {
        room.proxy().hideStream();
        room.post("alice", "before");
        Follower f = start();
        awaitTexts(f, "before");
        room.post("bob", "while polling");
        awaitTexts(f, "before", "while polling");
        int streams = room.proxy().streamsOpened();

        room.proxy().showStream();
        await().atMost(STREAM_RETRY.plus(PATIENCE)).until(() -> room.proxy().streamsOpened() > streams);
        room.post("carol", "streaming again");

        awaitTexts(f, "before", "while polling", "streaming again");
    }

    @Test
    void aSilentStreamIsDroppedWithinTheSilenceTimeoutAndResumed() {
        room.post("alice", "one");
        Follower f = start();
        awaitTexts(f, "one");
        awaitStreaming();
        int streams = room.proxy().streamsOpened();

        room.proxy().silence();
        room.post("bob", "sent into the silence");

        // only a new connection brings it: the silenced one stays open and forwards nothing
        await().atMost(SILENCE.plus(Duration.ofSeconds(5))).until(() -> f.texts().size() == 2);
        assertEquals(List.of("one", "sent into the silence"), f.texts());
        assertTrue(room.proxy().streamsOpened() > streams, "it opened a new stream");
    }

    @Test
    void aServerRestartedBehindTheSameAddressIsFollowedFromItsNewBeginning() {
        room.post("alice", "old one");
        room.post("alice", "old two");
        Follower f = start();
        awaitTexts(f, "old one", "old two");

        // the new room already has ids 1..3: resuming "after 2" there would skip two of them
        room.restartBehindProxy("new one", "new two", "new three");

        awaitTexts(f, "old one", "old two", "new one", "new two", "new three");
    }

    @Test
    void aWrongPasswordStopsTheFollowerWithAnError() {
        room.post("alice", "secret");
        Follower follower = track(follow(room.proxyUrl(), "wrong " + room.password()));

        await().atMost(PATIENCE).until(() -> follower.error() != null);
        assertNotNull(follower.error());
        assertEquals(List.of(), follower.texts());
    }

    @Test
    void aRoomThatIsGoneStopsTheFollowerWithAnError() {
        String named = room.namedRoomThroughProxy("brief");
        Follower follower = track(follow(named, room.password()));
        awaitStreaming();

        // the fresh server behind the same address has no such room: 404 room_not_found, which no retry mends
        room.restartBehindProxy();

        await().atMost(PATIENCE).until(() -> follower.error() != null);
        assertEquals(List.of(), follower.texts());
    }

    @Test
    void aRoomItsHostEndsStopsTheFollowerWithAnErrorAndNoLossWhileStreaming() {
        String named = room.namedRoomThroughProxy("ending");
        Follower follower = track(follow(named, room.password()));
        awaitStreaming();
        room.postTo("ending", "last words");
        awaitTexts(follower, "last words");

        room.endNamedRoom("ending");

        await().atMost(PATIENCE).until(() -> follower.error() != null);
        assertEquals(List.of("last words"), follower.texts());
        // the stream said why it ended (events=end): no "reconnecting" before the error
        assertFalse(follower.reportedALoss(), "reported a loss before the room's end: " + follower.error());
    }

    @Test
    void aRoomItsHostEndsStopsTheFollowerWithAnErrorWhileLongPolling() {
        room.proxy().hideStream();
        String named = room.namedRoomThroughProxy("ending-polled");
        Follower follower = track(follow(named, room.password()));
        // polling the room: a poll waiting when it ends is answered 404 room_not_found, as every later one
        await().atMost(PATIENCE).until(() -> room.proxy().pollsForwarded() > 1);

        room.endNamedRoom("ending-polled");

        await().atMost(PATIENCE).until(() -> follower.error() != null);
        assertEquals(List.of(), follower.texts());
    }

    private Follower start() {
        return track(follow(room.proxyUrl(), room.password()));
    }

    /** Waits until a stream is open through the proxy, so that cutting or silencing it means something. */
    private void awaitStreaming() {
        await().atMost(PATIENCE).until(() -> room.proxy().streamsOpened() > 0);
    }

    /** Waits until exactly these texts were delivered; fails at once on one too many (a duplicate). */
    static void awaitTexts(Follower f, String... expected) {
        awaitTexts(PATIENCE, f, expected);
    }

    /** Like {@link #awaitTexts(Follower, String...)}, for at most {@code within}. */
    static void awaitTexts(Duration within, Follower f, String... expected) {
        List<String> wanted = List.of(expected);
        await().atMost(within).until(() -> {
            List<String> texts = f.texts();
            assertTrue(texts.size() <= wanted.size(), () -> "more than expected: " + texts);
            return texts.size() == wanted.size();
        });
        assertEquals(wanted, f.texts());
    }
}
