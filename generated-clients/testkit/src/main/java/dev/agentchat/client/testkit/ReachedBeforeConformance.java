package dev.agentchat.client.testkit;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower whose caller has reached the room already, as {@code docs/following.md} says (Java
 * {@code reachedBefore()}, TypeScript {@code reachedBefore: true}, Python {@code reached_before=True}):
 * a server that stops before the stream's first connection is reported as a loss like any later one,
 * and following resumes from the cursor it was given once the server answers again. The Java,
 * TypeScript and Python followers run it by extending this class; the CLI's {@code ReconnectTest}
 * covers {@code listen}.
 */
public abstract class ReachedBeforeConformance extends FollowedRoom {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    /**
     * A follower of the room at {@code url} from after message {@code after}, told that its caller
     * has reached the room, with {@link FollowConformance}'s timeouts.
     */
    protected abstract FollowConformance.Follower followReached(String url, String password, long after);

    @Test
    void aServerThatStopsBeforeTheFirstStreamOpensIsReportedAsALossAndFollowingResumesFromTheCursor() {
        room.post("alice", "read before");
        long cursor = id(room.post("alice", "the cursor"));
        room.proxy().stopAnswering();

        FollowConformance.Follower follower = track(followReached(room.proxyUrl(), room.password(), cursor));

        await().atMost(PATIENCE).until(follower::reportedALoss);
        room.post("bob", "while stopped");
        room.proxy().answerAgain();
        FollowConformance.awaitTexts(follower, "while stopped");
        assertTrue(room.proxy().streamsOpened() > 0, "it streams once the server answers");
        room.post("carol", "after");
        FollowConformance.awaitTexts(follower, "while stopped", "after");
        assertNull(follower.error());
    }

    /** The id of the message a post's answer holds. */
    private static long id(String posted) {
        Matcher id = ID.matcher(posted);
        assertTrue(id.find(), posted);
        return Long.parseLong(id.group(1));
    }
}
