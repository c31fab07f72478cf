package dev.agentchat.client.python;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ScriptFollower;

import java.io.File;
import java.util.List;
import java.util.Map;

/** The Python {@code RoomStream} against the follow contract (docs/following.md), driven by src/test/python/follow_driver.py. */
class RoomStreamConformanceTest extends FollowConformance {

    @Override
    protected Follower follow(String url, String password) {
        return ScriptFollower.start(new File("."),
            Map.of("PYTHONPATH", System.getProperty("agentchat.python.package"), "PYTHONDONTWRITEBYTECODE", "1"),
            List.of("python3", "-u", "src/test/python/follow_driver.py"), url, password);
    }
}
