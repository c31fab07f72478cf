package dev.agentchat.client.typescript;

import dev.agentchat.client.testkit.LiveRoom;
import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.client.testkit.ScriptRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the node:test suites in src/test/node against a live server started here. */
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

    @Test
    void aPasswordBeyondAsciiOpensTheRoomAndAWrongOneIsRefused() {
        try (LiveServer server = LiveServer.start("Schlüssel-密码", Map.of())) { // the password written in password.test.js
            ScriptRun.assertPasses(new File("."),
                Map.of("AGENT_CHAT_URL", server.url(), "AGENT_CHAT_CLIENT", System.getProperty("agentchat.npm.package")),
                List.of("node", "--test", "--test-reporter=spec", "src/test/node/password.test.js"));
        }
    }

    @Test
    void officialTypeScriptMcpClientUsesTheRoomsMcpEndpoint() {
        try (LiveRoom room = LiveRoom.start()) {
            Map<String, String> env = new HashMap<>(room.environment());
            env.put("NODE_PATH", Path.of(System.getProperty("agentchat.ts.work"), "node_modules").toString());
            ScriptRun.assertPasses(new File("."), env,
                List.of("node", "--test", "--test-reporter=spec", "src/test/node/mcp.test.js"));
        }
    }

    @Test
    void swaggerUiAuthorizeWorksOfflineInARealBrowser() {
        boolean ci = "true".equals(System.getenv("CI"));
        Assumptions.assumeTrue(ci || Files.isExecutable(Path.of(CHROMIUM)), "chromium is not installed");
        try (LiveRoom room = LiveRoom.start()) {
            Map<String, String> env = new HashMap<>(room.environment());
            env.put("NODE_PATH", Path.of(System.getProperty("agentchat.ts.work"), "node_modules").toString());
            env.put("CHROMIUM", CHROMIUM);
            ScriptRun.assertPasses(new File("."), env,
                List.of("node", "--test", "--test-reporter=spec", "src/test/node/swagger-ui.test.js"));
        }
    }

    private static final String CHROMIUM = "/usr/bin/chromium";
}
