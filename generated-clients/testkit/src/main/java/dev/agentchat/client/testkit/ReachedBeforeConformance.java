package dev.agentchat.client.testkit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower whose caller has reached the room already, as {@code docs/following.md} says (Java
 * {@code reachedBefore()}, TypeScript {@code reachedBefore: true}, Python {@code reached_before=True}):
 * a server that stops before the stream's first connection is reported as a loss like any later one,
 * and following resumes from the cursor it was given once the server answers again; a cursor given as
 * the message itself tells a room restarted meanwhile that has as many messages, and follows it from its
 * beginning, whether the restart came while the follower was stopped or before it started (told or not
 * that its caller reached the room). Messages the room dropped after the cursor before the follower
 * could be given them are reported (truncated), not silently skipped. The Java, TypeScript and Python
 * followers run it by extending this class; the CLI's {@code ReconnectTest} covers {@code listen}.
 */
public abstract class ReachedBeforeConformance extends FollowedRoom {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    /** A post's message: its fields hold no objects, and the tests' texts no braces. */
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*(\\{[^{}]*\\})");

    /**
     * A follower of the room at {@code url} from after message {@code after}, told that its caller
     * has reached the room, with {@link FollowConformance}'s timeouts.
     */
    protected abstract FollowConformance.Follower followReached(String url, String password, long after);

    /**
     * A follower from after {@code seen}: the message itself, as the API answers it (JSON), given as the
     * cursor (Java {@code after(Message)}, TypeScript {@code after: message}, Python {@code after=message}),
     * so its timestamp tells a restarted room from the same one; told that its caller has reached the room
     * when {@code reachedBefore}, with {@link FollowConformance}'s timeouts.
     */
    protected abstract FollowConformance.Follower followAt(String url, String password, String seen, boolean reachedBefore);

    @Test
    void aServerThatStopsBeforeTheFirstStreamOpensIsReportedAsALossAndFollowingResumesFromTheCursor() {
        room.post("alice", "read before");
        long cursor = id(room.post("alice", "the cursor"));

        resumesAfterTheCursorOnceTheServerAnswers(() -> followReached(room.proxyUrl(), room.password(), cursor));
        assertTrue(room.proxy().streamsOpened() > 0, "it streams once the server answers");
    }

    @Test
    void aCursorGivenAsTheMessageResumesAfterItInTheSameRoom() {
        room.post("alice", "read before");
        String seen = message(room.post("alice", "the cursor"));

        resumesAfterTheCursorOnceTheServerAnswers(() -> followAt(room.proxyUrl(), room.password(), seen, true));
    }

    @Test
    void aRoomRestartedWhileStoppedWithAsManyMessagesIsFollowedFromItsBeginningWhenTheCursorIsTheMessage() {
        room.post("alice", "read before");
        String seen = message(room.post("alice", "the cursor"));
        room.proxy().stopAnswering();

        FollowConformance.Follower follower = track(followAt(room.proxyUrl(), room.password(), seen, true));

        await().atMost(PATIENCE).until(follower::reportedALoss);
        // the new room has a message #2 too: only its timestamp says it is not the one the caller saw
        room.restartBehindProxy("new one", "new two");
        room.proxy().answerAgain();
        // starting the new server took a while, and the follower kept backing off meanwhile
        FollowConformance.awaitTexts(PATIENCE.plus(FollowConformance.LONGEST_BACKOFF), follower, "new one", "new two");
        room.post("carol", "after");
        FollowConformance.awaitTexts(follower, "new one", "new two", "after");
        assertNull(follower.error());
    }

    @Test
    void aRoomRestartedBeforeTheFollowerStartsIsFollowedFromItsBeginningWhenTheCursorIsTheMessage() {
        followsARoomRestartedBeforeTheStart(false);
    }

    @Test
    void aRoomRestartedBeforeTheFollowerStartsIsFollowedFromItsBeginningWhenTheCursorIsTheMessageAndTheRoomWasReached() {
        followsARoomRestartedBeforeTheStart(true);
    }

    @Test
    void messagesTheRoomDroppedAfterTheCursorBeforeTheFollowerStartedAreReportedAsTruncated() {
        try (LiveRoom small = LiveRoom.start(Map.of("agent-chat.max-history", 3))) {
            long cursor = id(small.post("alice", "read before"));
            small.post("alice", "dropped");
            small.post("alice", "kept one");
            small.post("alice", "kept two");
            small.post("alice", "kept three");

            FollowConformance.Follower follower = track(followReached(small.proxyUrl(), small.password(), cursor));

            FollowConformance.awaitTexts(follower, "kept one", "kept two", "kept three");
            // the room keeps #3 to #5: asked for what follows #1, it says that #2 is gone
            await().atMost(PATIENCE).until(() -> follower.truncations().equals(List.of(cursor + " " + (cursor + 2))));
            assertNull(follower.error());
        }
    }

    /**
     * A follower started from a message the caller read before the server restarted, whose new room
     * has as many messages already (and one more): told of the restart, it follows the new room from
     * its first message.
     */
    private void followsARoomRestartedBeforeTheStart(boolean reachedBefore) {
        room.post("alice", "old one");
        room.post("alice", "old two");
        String seen = message(room.post("alice", "old three"));
        room.restartBehindProxy("new one", "new two", "new three", "new four");

        FollowConformance.Follower follower = track(followAt(room.proxyUrl(), room.password(), seen, reachedBefore));

        FollowConformance.awaitTexts(follower, "new one", "new two", "new three", "new four");
        assertTrue(follower.reportedARestart(), "the restart is reported");
        room.post("carol", "after");
        FollowConformance.awaitTexts(follower, "new one", "new two", "new three", "new four", "after");
        assertNull(follower.error());
    }

    /**
     * With the server stopped, the follower {@code start} makes reports the loss, and once the server
     * answers again it is given what was posted after its cursor, and nothing before.
     */
    private void resumesAfterTheCursorOnceTheServerAnswers(Supplier<FollowConformance.Follower> start) {
        room.proxy().stopAnswering();
        FollowConformance.Follower follower = track(start.get());

        await().atMost(PATIENCE).until(follower::reportedALoss);
        room.post("bob", "while stopped");
        room.proxy().answerAgain();
        FollowConformance.awaitTexts(follower, "while stopped");
        room.post("carol", "after");
        FollowConformance.awaitTexts(follower, "while stopped", "after");
        assertNull(follower.error());
    }

    /** The message a post's answer holds, as JSON. */
    private static String message(String posted) {
        Matcher message = MESSAGE.matcher(posted);
        assertTrue(message.find(), posted);
        return message.group(1);
    }

    /** The id of the message a post's answer holds. */
    private static long id(String posted) {
        Matcher id = ID.matcher(posted);
        assertTrue(id.find(), posted);
        return Long.parseLong(id.group(1));
    }
}
