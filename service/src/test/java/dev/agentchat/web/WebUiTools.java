package dev.agentchat.web;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the tests that drive the web UI in a browser share: where its Node tests live, Debian
 * Chromium, and playwright-core installed there with {@code npm ci}. Without Chromium or Node a test is
 * skipped with a notice, except under CI, where it fails.
 */
final class WebUiTools {
    /** webui/test: the Node tests, their driver scripts and their node_modules. */
    static final Path TESTS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
        .resolve("../webui/test").normalize();
    static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");

    private WebUiTools() {
    }

    /**
     * Makes sure Chromium, node and playwright-core are there, or skips (fails under CI).
     * @param what the tests that need them, for the notice
     */
    static void requireBrowser(String what) throws Exception {
        requireTool(what, Files.isExecutable(Path.of(CHROMIUM)), "Chromium not found at " + CHROMIUM
            + " (apt-get install chromium)");
        requireTool(what, runs("node", "--version"), "node not found on PATH");
        if (!Files.isDirectory(TESTS.resolve("node_modules/playwright-core"))) {
            int exit = runAndStream(List.of("npm", "ci", "--no-audit", "--no-fund"),
                Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), 300);
            requireTool(what, exit == 0, "npm ci failed in " + TESTS + " (is the npm registry reachable?)");
        }
    }

    /** Under CI a missing tool fails the build; on a developer machine the test is skipped, visibly. */
    private static void requireTool(String what, boolean present, String problem) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(problem);
        }
        System.out.println("NOTICE: " + what + " SKIPPED: " + problem);
        Assumptions.abort(problem);
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
    static int runAndStream(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
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
}
