package dev.agentchat.client.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;

/**
 * What the follow suites share: a room behind a fault proxy, started before each test, and the
 * follower under test, closed after it with the room.
 */
abstract class FollowedRoom {
    /** How long a test waits for what it expects. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    protected LiveRoom room;
    private FollowConformance.Follower follower;

    @BeforeEach
    void startRoom() {
        room = LiveRoom.start();
    }

    @AfterEach
    void stopRoom() {
        if (follower != null) {
            follower.close();
        }
        room.close();
    }

    /** The follower under test, closed after the test. */
    FollowConformance.Follower track(FollowConformance.Follower started) {
        follower = started;
        return started;
    }
}
