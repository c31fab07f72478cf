package dev.agentchat.client.room;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ReachedBeforeConformance;

/** The Java {@link RoomStream} told that its caller reached the room ({@code reachedBefore()}, docs/following.md). */
class RoomStreamReachedBeforeTest extends ReachedBeforeConformance {

    @Override
    protected FollowConformance.Follower followReached(String url, String password, long after) {
        return RoomStreamConformanceTest.follower(RoomStream.builder(Rooms.connect(url, password)).after(after).reachedBefore());
    }
}
