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
        return follower(url, password, ScriptFollower.after(0, false));
    }

    /** follow_driver.py following from {@code start} ({@link ScriptFollower#after}, {@link ScriptFollower#afterMessage}). */
    static ScriptFollower follower(String url, String password, Map<String, String> start) {
        Map<String, String> environment = new HashMap<>(start);
        environment.put("PYTHONPATH", System.getProperty("agentchat.python.package"));
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        return ScriptFollower.start(new File("."), environment,
            List.of("python3", "-u", "src/test/python/follow_driver.py"), url, password);
    }
}
