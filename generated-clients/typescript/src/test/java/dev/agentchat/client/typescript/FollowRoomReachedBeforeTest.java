package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ReachedBeforeConformance;
import dev.agentchat.client.testkit.ScriptFollower;

/** The TypeScript {@code followRoom} told that its caller reached the room ({@code reachedBefore: true}, docs/following.md), driven by src/test/node/follow-driver.js. */
class FollowRoomReachedBeforeTest extends ReachedBeforeConformance {

    @Override
    protected FollowConformance.Follower followReached(String url, String password, long after) {
        return FollowRoomConformanceTest.follower(url, password, ScriptFollower.after(after, true));
    }

    @Override
    protected FollowConformance.Follower followAt(String url, String password, String seen, boolean reachedBefore) {
        return FollowRoomConformanceTest.follower(url, password, ScriptFollower.afterMessage(seen, reachedBefore));
    }
}
