package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ScriptFollower;

import java.io.File;
import java.util.HashMap;
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
        return follower(url, password, Map.of("FOLLOW_AFTER", Long.toString(after),
            "FOLLOW_REACHED_BEFORE", Boolean.toString(reachedBefore)));
    }

    /** follow-driver.js following after message {@code seen} (its JSON), told that its caller reached the room. */
    static ScriptFollower follower(String url, String password, String seen) {
        return follower(url, password, Map.of("FOLLOW_AFTER_MESSAGE", seen, "FOLLOW_REACHED_BEFORE", "true"));
    }

    private static ScriptFollower follower(String url, String password, Map<String, String> start) {
        Map<String, String> environment = new HashMap<>(start);
        environment.put("AGENT_CHAT_CLIENT", System.getProperty("agentchat.npm.package"));
        return ScriptFollower.start(new File("."), environment, List.of("node", "src/test/node/follow-driver.js"), url, password);
    }
}
