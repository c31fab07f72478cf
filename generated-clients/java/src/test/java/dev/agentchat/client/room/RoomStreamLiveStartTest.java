package dev.agentchat.client.room;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.LiveStartConformance;

/** The Java {@link RoomStream} started live (docs/following.md). */
class RoomStreamLiveStartTest extends LiveStartConformance {

    @Override
    protected FollowConformance.Follower followLive(String url, String password) {
        return RoomStreamConformanceTest.follower(url, password, -1);
    }
}
