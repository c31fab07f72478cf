package dev.agentchat.client.python;

import dev.agentchat.client.testkit.FullServerConformance;
import dev.agentchat.client.testkit.ScriptFollower;

/** The Python {@code RoomStream} on a full server (docs/following.md), driven by src/test/python/follow_driver.py. */
class RoomStreamFullServerTest extends FullServerConformance {

    @Override
    protected ScriptFollower followLive(String url, String password) {
        return RoomStreamConformanceTest.follower(url, password, ScriptFollower.after(-1, false));
    }
}
