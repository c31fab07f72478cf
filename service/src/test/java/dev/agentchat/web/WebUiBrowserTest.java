package dev.agentchat.web;

import com.sun.net.httpserver.HttpExchange;
import dev.agentchat.client.testkit.LiveServer;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the web UI's browser tests ({@code webui/test}, Node's test runner driving headless Debian
 * Chromium through playwright-core) against a real embedded server. Each Node test makes its own
 * named room on that server; a test that restarts a server asks the small control endpoint for a
 * server of its own, so no test sees another's messages and any one can run alone.
 * Without Chromium or Node the test is skipped with a notice, except under CI, where it fails
 * ({@link WebUiTools}).
 *
 * <p>{@code -Dwebui.tests=REGEX} runs only the Node tests whose names match (Node's
 * {@code --test-name-pattern}), e.g. {@code -Dwebui.tests='restarts'}.
 */
class WebUiBrowserTest {
    private static final String PASSWORD = "browser-test-pw";
    private static final Path TESTS = WebUiTools.TESTS;
    private static final Path ARTIFACTS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
        .resolve("target/webui-screenshots");
    private static final String CHROMIUM = WebUiTools.CHROMIUM;
    private static final String FILTER = System.getProperty("webui.tests", "");
    /**
     * Of the shared server and of every server a test asks for. Every test comes from one address: a
     * room per test is more than 20 per address, and the wrong passwords and ended tokens some tests
     * send would otherwise use up the address's allowance and lock a later test out.
     */
    private static final Map<String, Object> SERVER = Map.of(
        "agent-chat.keepalive", "2s",
        "agent-chat.rooms.max-per-address", 1000,
        "agent-chat.limits.password-failure-burst", 1000);

    @Test
    void webUiPassesItsBrowserTestsAgainstALiveServer() throws Exception {
        WebUiTools.requireBrowser("web UI browser tests");
        Files.createDirectories(ARTIFACTS);

        try (LiveServer server = LiveServer.start(PASSWORD, SERVER);
             Control control = new Control()) {
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1",
                "--test-reporter=spec"));
            if (!FILTER.isEmpty()) {
                command.add("--test-name-pattern=" + FILTER);
            }
            command.addAll(testFiles());
            WebUiTools.Run run = WebUiTools.runAndStream(command,
                Map.of("AGENT_CHAT_URL", server.url(),
                    "AGENT_CHAT_PASSWORD", PASSWORD,
                    "AGENT_CHAT_HOST_KEY", server.hostKey(),
                    "AGENT_CHAT_CONTROL", control.url(),
                    "CHROMIUM_PATH", CHROMIUM,
                    "ARTIFACTS_DIR", ARTIFACTS.toString()),
                TimeUnit.MINUTES.toSeconds(10));
            assertEquals(0, run.exit(), () -> "the browser tests failed:\n" + run.summary());
        }
        if (FILTER.isEmpty()) {
            assertTrue(Files.exists(ARTIFACTS.resolve("desktop.png")), "desktop screenshot saved");
            assertTrue(Files.exists(ARTIFACTS.resolve("phone.png")), "phone screenshot saved");
        }
    }

    /** The {@code *.test.js} files (node 20 does not expand globs itself). */
    private static List<String> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".test.js")).sorted().toList();
        }
    }

    /**
     * A loopback endpoint through which a Node test gets a server of its own and restarts it:
     * {@code POST /servers} starts one and answers {@code {"id":N,"url":"…"}} (its query sets the room's
     * {@code password} and any {@code agent-chat.} property by the rest of its name, such as
     * {@code max-agent-turns=N} for the loop brake or {@code limits.streams-total=N});
     * {@code POST /servers/N/stop} and {@code POST /servers/N/start} stop and start it on the same port.
     * Every server still running is stopped on close.
     */
    private static final class Control implements AutoCloseable {
        private static final Pattern ACTION = Pattern.compile("/servers/(\\d+)/(stop|start)");
        private final HttpServer http;
        private final List<LiveServer> servers = new CopyOnWriteArrayList<>();

        Control() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/servers", this::handle);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/servers")) {
                    Map<String, Object> settings = new java.util.HashMap<>(SERVER);
                    String password = PASSWORD;
                    String query = exchange.getRequestURI().getRawQuery();
                    for (String pair : query == null ? new String[0] : query.split("&")) {
                        String[] parts = pair.split("=", 2);
                        String value = URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8);
                        if (parts[0].equals("password")) {
                            password = value;
                        } else {
                            settings.put("agent-chat." + parts[0], value);
                        }
                    }
                    LiveServer server = LiveServer.start(password, settings);
                    servers.add(server);
                    byte[] body = ("{\"id\":" + (servers.size() - 1) + ",\"url\":\"" + server.url() + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(201, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                Matcher action = ACTION.matcher(path);
                int id = action.matches() ? Integer.parseInt(action.group(1)) : -1;
                if (id < 0 || id >= servers.size()) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                LiveServer server = servers.get(id);
                if (action.group(2).equals("stop")) {
                    server.stop();
                } else if (!server.isRunning()) {
                    server.restart();
                }
                exchange.sendResponseHeaders(204, -1);
            } catch (RuntimeException e) {
                System.out.println("[webui] control " + exchange.getRequestURI() + " failed: " + e);
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            http.stop(0);
            servers.forEach(LiveServer::stop);
        }
    }
}
