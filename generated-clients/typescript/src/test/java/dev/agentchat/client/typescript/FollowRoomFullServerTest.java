package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.FullServerConformance;
import dev.agentchat.client.testkit.ScriptFollower;

/** The TypeScript {@code followRoom} on a full server (docs/following.md), driven by src/test/node/follow-driver.js. */
class FollowRoomFullServerTest extends FullServerConformance {

    @Override
    protected ScriptFollower followLive(String url, String password) {
        return FollowRoomConformanceTest.follower(url, password, ScriptFollower.after(-1, false));
    }
}
