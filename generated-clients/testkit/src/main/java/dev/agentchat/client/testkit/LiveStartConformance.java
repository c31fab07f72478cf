package dev.agentchat.client.testkit;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Starting live, as {@code docs/following.md} says: a follower that starts without history resumes
 * after the room's newest message at its start, so losing its first connection before any message
 * loses nothing. The Java, TypeScript and Python followers run it by extending this class ({@code
 * listen} and the web UI always start from a position, which {@link FollowConformance} covers).
 */
public abstract class LiveStartConformance extends FollowedRoom {
    /** A follower of the room at {@code url} that starts live, with {@link FollowConformance}'s timeouts. */
    protected abstract FollowConformance.Follower followLive(String url, String password);

    @Test
    void aFollowerStartedLiveMissesNothingWhenItsFirstStreamIsCutBeforeAnyMessage() {
        room.post("alice", "before the start");
        FollowConformance.Follower follower = track(followLive(room.proxyUrl(), room.password()));
        await().atMost(PATIENCE).until(() -> room.proxy().streamsOpened() > 0);

        room.proxy().cut();
        // posted while the follower reconnects: a reconnect that started live again would miss it
        room.post("bob", "while reconnecting");
        room.post("carol", "after");

        FollowConformance.awaitTexts(follower, "while reconnecting", "after");
    }
}
