package dev.agentchat.web;

import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ScriptFollower;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The web UI ({@code webui/static/connection.js} and {@code app.js}) against the follow contract
 * (docs/following.md): {@code webui/test/follow-driver.js} opens the room's page through the fault
 * proxy in a new context of one headless Debian Chromium shared by the suite
 * ({@code webui/test/browser-server.js}, started once: a browser takes seconds to start on a busy
 * machine), with the suite's timings as the page's {@code <html data-…>} overrides, and reports every
 * message that appears in the page's log, once per appearance.
 *
 * <p>Every scenario applies. The suite's open timeout has no counterpart in a browser (an
 * {@code EventSource} cannot tell a slow stream from a blocked one); the page counts failed opens
 * instead and catches a stream that never opens with its silence timeout, which the scenarios meet as
 * they are. Without Chromium or Node the suite is skipped with a notice, except under CI, where it
 * fails ({@link WebUiTools}).
 */
class WebUiFollowConformanceTest extends FollowConformance {
    /** What follow-driver.js says once the page is loaded. */
    private static final String PAGE_OPENED = "page opened";
    private static Process browser;
    private static String endpoint;

    @BeforeAll
    static void startBrowser() throws Exception {
        WebUiTools.requireBrowser("web UI follow conformance");
        browser = new ProcessBuilder("node", "browser-server.js").directory(WebUiTools.TESTS.toFile())
            .redirectErrorStream(true).start();
        browser.getOutputStream(); // kept open: the server stops when it closes
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            StringBuilder output = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("ws\t")) {
                        ready.complete(line.substring("ws\t".length()));
                    } else {
                        output.append(line).append('\n');
                        System.out.println("[browser] " + line);
                    }
                }
            } catch (Exception e) {
                // the browser server ended
            }
            ready.completeExceptionally(new IllegalStateException("browser-server.js ended:\n" + output));
        }, "webui-browser-server");
        reader.setDaemon(true);
        reader.start();
        endpoint = ready.get(3, TimeUnit.MINUTES);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.destroy();
            if (!browser.waitFor(30, TimeUnit.SECONDS)) {
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                browser.destroyForcibly();
            }
        }
    }

    /**
     * Returns once the page is open (or the driver stopped): starting node and opening a page takes
     * seconds on a busy machine, which the suite's patience with a started follower is not meant for.
     */
    @Override
    protected Follower follow(String url, String password) {
        ScriptFollower follower = ScriptFollower.start(WebUiTools.TESTS.toFile(),
            Map.of("CHROMIUM_PATH", WebUiTools.CHROMIUM, "BROWSER_WS_ENDPOINT", endpoint),
            List.of("node", "follow-driver.js"), url, password);
        await().atMost(Duration.ofMinutes(2))
            .until(() -> follower.log().contains("notice\t" + PAGE_OPENED + "\n") || follower.error() != null);
        return follower;
    }
}
