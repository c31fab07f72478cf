package dev.agentchat.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the web UI's browser tests ({@code webui/test}, Node's test runner driving headless Debian
 * Chromium through playwright-core) against a real embedded server. The Node side can stop and
 * start the server through a small control endpoint, to test reconnection after a restart.
 * Without Chromium or Node the test is skipped with a notice, except under CI, where it fails.
 */
class WebUiBrowserTest {
    private static final String PASSWORD = "browser-test-pw";
    private static final Path TESTS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
        .resolve("../webui/test").normalize();
    private static final Path ARTIFACTS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
        .resolve("target/webui-screenshots");
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");

    @Test
    void webUiPassesItsBrowserTestsAgainstALiveServer() throws Exception {
        requireTool(Files.isExecutable(Path.of(CHROMIUM)), "Chromium not found at " + CHROMIUM
            + " (apt-get install chromium)");
        requireTool(runs("node", "--version"), "node not found on PATH");
        installPackagesIfMissing();
        Files.createDirectories(ARTIFACTS);

        try (RestartableServer server = new RestartableServer(Map.of(
                "agent-chat.password", PASSWORD,
                "agent-chat.keepalive", "2s"));
             Control control = new Control(server)) {
            server.start();
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1",
                "--test-reporter=spec"));
            command.addAll(testFiles());
            int exit = runAndStream(command,
                Map.of("AGENT_CHAT_URL", server.url(),
                    "AGENT_CHAT_PASSWORD", PASSWORD,
                    "AGENT_CHAT_CONTROL", control.url(),
                    "CHROMIUM_PATH", CHROMIUM,
                    "ARTIFACTS_DIR", ARTIFACTS.toString()),
                TimeUnit.MINUTES.toSeconds(6));
            assertEquals(0, exit, "the browser tests failed: see their output above");
        }
        assertTrue(Files.exists(ARTIFACTS.resolve("desktop.png")), "desktop screenshot saved");
        assertTrue(Files.exists(ARTIFACTS.resolve("phone.png")), "phone screenshot saved");
    }

    /** The {@code *.test.js} files (node 20 does not expand globs itself). */
    private static List<String> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".test.js")).sorted().toList();
        }
    }

    /** Under CI a missing tool fails the build; on a developer machine the test is skipped, visibly. */
    private static void requireTool(boolean present, String problem) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(problem);
        }
        System.out.println("NOTICE: web UI browser tests SKIPPED: " + problem);
        Assumptions.abort(problem);
    }

    private static void installPackagesIfMissing() throws Exception {
        if (Files.isDirectory(TESTS.resolve("node_modules/playwright-core"))) {
            return;
        }
        int exit = runAndStream(List.of("npm", "ci", "--no-audit", "--no-fund"),
            Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), 300);
        requireTool(exit == 0, "npm ci failed in " + TESTS + " (is the npm registry reachable?)");
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command in webui/test, copying its output line by line into the test's output. */
    private static int runAndStream(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(TESTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("[webui] " + line);
                }
            } catch (IOException e) {
                System.out.println("[webui] output lost: " + e.getMessage());
            }
        }, "webui-test-output");
        pump.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        pump.join(5000);
        return process.exitValue();
    }

    /** POST /stop and POST /start on a loopback port: how the Node tests restart the server. */
    private static final class Control implements AutoCloseable {
        private final HttpServer http;

        Control(RestartableServer server) throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/stop", exchange -> answer(exchange, server::stop));
            http.createContext("/start", exchange -> answer(exchange, server::start));
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        private static void answer(HttpExchange exchange, Runnable action) throws IOException {
            int status = 204;
            try {
                action.run();
            } catch (RuntimeException e) {
                status = 500;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
