package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.LiveRoom;
import dev.agentchat.client.testkit.ScriptRun;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the node:test suite in src/test/node against a live server started here. */
class TypeScriptClientTest {

    @Test
    void compiledTypeScriptClientPassesItsNodeTestsAgainstALiveServer() {
        try (LiveRoom room = LiveRoom.start()) {
            Map<String, String> env = new HashMap<>(room.environment());
            env.put("AGENT_CHAT_CLIENT", System.getProperty("agentchat.npm.package"));
            ScriptRun.assertPasses(new File("."), env,
                List.of("node", "--test", "--test-reporter=spec", "src/test/node/client.test.js"));
        }
    }
}
