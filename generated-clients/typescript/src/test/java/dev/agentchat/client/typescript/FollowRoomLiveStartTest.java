package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.LiveStartConformance;
import dev.agentchat.client.testkit.ScriptFollower;

/** The TypeScript {@code followRoom} started live (docs/following.md), driven by src/test/node/follow-driver.js. */
class FollowRoomLiveStartTest extends LiveStartConformance {

    @Override
    protected FollowConformance.Follower followLive(String url, String password) {
        return FollowRoomConformanceTest.follower(url, password, ScriptFollower.after(-1, false));
    }
}
