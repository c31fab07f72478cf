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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the tests that drive the web UI in a browser share: where its Node tests live, Debian
 * Chromium, and playwright-core installed there with {@code npm ci}. Without Chromium or Node a test is
 * skipped with a notice, except under CI, where it fails; so is one of the room guide's without python3.
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
            Run install = runAndStream(List.of("npm", "ci", "--no-audit", "--no-fund"),
                Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), 300);
            requireTool(what, install.exit() == 0, "npm ci failed in " + TESTS + " (is the npm registry reachable?)");
        }
    }

    /** Makes sure python3 runs, or skips (fails under CI). */
    static void requirePython(String what) {
        requireTool(what, runs("python3", "--version"), "python3 not found on PATH (apt-get install python3)");
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

    /**
     * How a command ended: its exit status, and the summary Node's test runner prints after
     * "failing tests:" (which test failed, and why), so an assertion message can name them even where
     * only the end of the build's output is kept.
     */
    record Run(int exit, List<String> failures) {
        String summary() {
            return failures.isEmpty() ? "see the output above" : String.join("\n", failures);
        }
    }

    /** Runs a command in webui/test, copying its output line by line into the test's output. */
    static Run runAndStream(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(TESTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                boolean summary = false;
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("[webui] " + line);
                    summary |= line.contains("failing tests:");
                    if (summary && !line.isBlank() && failures.size() < 40) {
                        failures.add(line);
                    }
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
        return new Run(process.exitValue(), List.copyOf(failures));
    }
}
