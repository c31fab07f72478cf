package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.LiveStartConformance;

/** The TypeScript {@code followRoom} started live (docs/following.md), driven by src/test/node/follow-driver.js. */
class FollowRoomLiveStartTest extends LiveStartConformance {

    @Override
    protected FollowConformance.Follower followLive(String url, String password) {
        return FollowRoomConformanceTest.follower(url, password, -1);
    }
}
