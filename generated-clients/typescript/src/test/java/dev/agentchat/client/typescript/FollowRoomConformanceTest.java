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
        return follower(url, password, ScriptFollower.after(0, false));
    }

    /** follow-driver.js following from {@code start} ({@link ScriptFollower#after}, {@link ScriptFollower#afterMessage}). */
    static ScriptFollower follower(String url, String password, Map<String, String> start) {
        Map<String, String> environment = new HashMap<>(start);
        environment.put("AGENT_CHAT_CLIENT", System.getProperty("agentchat.npm.package"));
        return ScriptFollower.start(new File("."), environment, List.of("node", "src/test/node/follow-driver.js"), url, password);
    }
}
