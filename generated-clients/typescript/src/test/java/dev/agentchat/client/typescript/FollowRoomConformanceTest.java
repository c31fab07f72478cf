package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ScriptFollower;

import java.io.File;
import java.util.List;
import java.util.Map;

/** The TypeScript {@code followRoom} against the follow contract (docs/following.md), driven by src/test/node/follow-driver.js. */
class FollowRoomConformanceTest extends FollowConformance {

    @Override
    protected Follower follow(String url, String password) {
        return follower(url, password, 0);
    }

    /** follow-driver.js following after {@code after} (-1: live). */
    static ScriptFollower follower(String url, String password, long after) {
        return follower(url, password, after, false);
    }

    /** follow-driver.js following after {@code after} (-1: live), told or not that its caller reached the room. */
    static ScriptFollower follower(String url, String password, long after, boolean reachedBefore) {
        return ScriptFollower.start(new File("."), Map.of("AGENT_CHAT_CLIENT", System.getProperty("agentchat.npm.package"),
                "FOLLOW_AFTER", Long.toString(after), "FOLLOW_REACHED_BEFORE", Boolean.toString(reachedBefore)),
            List.of("node", "src/test/node/follow-driver.js"), url, password);
    }
}
