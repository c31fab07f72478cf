package dev.agentchat.client.python;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.LiveStartConformance;
import dev.agentchat.client.testkit.ScriptFollower;

/** The Python {@code RoomStream} started live (docs/following.md), driven by src/test/python/follow_driver.py. */
class RoomStreamLiveStartTest extends LiveStartConformance {

    @Override
    protected FollowConformance.Follower followLive(String url, String password) {
        return RoomStreamConformanceTest.follower(url, password, ScriptFollower.after(-1, false));
    }
}
