package dev.agentchat.client.python;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ScriptFollower;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Python {@code RoomStream} against the follow contract (docs/following.md), driven by src/test/python/follow_driver.py. */
class RoomStreamConformanceTest extends FollowConformance {

    @Override
    protected Follower follow(String url, String password) {
        return follower(url, password, 0);
    }

    /** follow_driver.py following after {@code after} (-1: live). */
    static ScriptFollower follower(String url, String password, long after) {
        return follower(url, password, after, false);
    }

    /** follow_driver.py following after {@code after} (-1: live), told or not that its caller reached the room. */
    static ScriptFollower follower(String url, String password, long after, boolean reachedBefore) {
        return follower(url, password, Map.of("FOLLOW_AFTER", Long.toString(after),
            "FOLLOW_REACHED_BEFORE", Boolean.toString(reachedBefore)));
    }

    /** follow_driver.py following after message {@code seen} (its JSON), told that its caller reached the room. */
    static ScriptFollower follower(String url, String password, String seen) {
        return follower(url, password, Map.of("FOLLOW_AFTER_MESSAGE", seen, "FOLLOW_REACHED_BEFORE", "true"));
    }

    private static ScriptFollower follower(String url, String password, Map<String, String> start) {
        Map<String, String> environment = new HashMap<>(start);
        environment.put("PYTHONPATH", System.getProperty("agentchat.python.package"));
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        return ScriptFollower.start(new File("."), environment,
            List.of("python3", "-u", "src/test/python/follow_driver.py"), url, password);
    }
}
