package dev.agentchat.client.python;

import dev.agentchat.client.testkit.LiveRoom;
import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.client.testkit.ScriptRun;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the pytest suite in src/test/python against a live server started here. */
class PythonClientTest {

    @Test
    void generatedPythonClientPassesItsPytestSuiteAgainstALiveServer() {
        try (LiveRoom room = LiveRoom.start()) {
            Map<String, String> env = new HashMap<>(room.environment());
            env.put("PYTHONPATH", System.getProperty("agentchat.python.package"));
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            ScriptRun.assertPasses(new File("."), env, List.of("python3", "-m", "pytest", "-v",
                "-p", "no:cacheprovider", "src/test/python/test_client.py"));
        }
    }

    @Test
    void aPasswordBeyondAsciiOpensTheRoomAndAWrongOneIsRefused() {
        try (LiveServer server = LiveServer.start("Schlüssel-密码", Map.of())) { // the password written in test_password.py
            ScriptRun.assertPasses(new File("."), Map.of("AGENT_CHAT_URL", server.url(),
                    "PYTHONPATH", System.getProperty("agentchat.python.package"), "PYTHONDONTWRITEBYTECODE", "1"),
                List.of("python3", "-m", "pytest", "-v", "-p", "no:cacheprovider", "src/test/python/test_password.py"));
        }
    }
}
