package dev.agentchat.client.python;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ReachedBeforeConformance;
import dev.agentchat.client.testkit.ScriptFollower;

/** The Python {@code RoomStream} told that its caller reached the room ({@code reached_before=True}, docs/following.md), driven by src/test/python/follow_driver.py. */
class RoomStreamReachedBeforeTest extends ReachedBeforeConformance {

    @Override
    protected FollowConformance.Follower followReached(String url, String password, long after) {
        return RoomStreamConformanceTest.follower(url, password, ScriptFollower.after(after, true));
    }

    @Override
    protected FollowConformance.Follower followAt(String url, String password, String seen, boolean reachedBefore) {
        return RoomStreamConformanceTest.follower(url, password, ScriptFollower.afterMessage(seen, reachedBefore));
    }
}
