package dev.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

/**
 * The original Python agent-chat server itself ({@code ./serve PORT PASSWORD} of the folder in
 * {@link #DIRECTORY}), run as a process on a free loopback port with the password {@code pw}. It
 * ignores SIGTERM, so it is stopped with SIGKILL. Without python3 or the folder the tests that need it
 * are skipped, except in CI, where they fail.
 */
final class OriginalServer implements AutoCloseable {
    static final String PASSWORD = "pw";
    /** Where the original tool is: {@code AGENT_CHAT_ORIGINAL}, else the build's {@code agentchat.original}. */
    static final Path DIRECTORY = Path.of(System.getenv().getOrDefault("AGENT_CHAT_ORIGINAL",
        System.getProperty("agentchat.original", "../../shared/original")));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final int port;

    /**
     * The free port is chosen before the original binds it, so another socket can take it in between:
     * an original that exits as it starts is started again on another port.
     */
    OriginalServer() {
        requireOriginal("serve");
        for (int attempt = 1; ; attempt++) {
            int chosen = freePort();
            Process started = launch(chosen);
            await().atMost(15, SECONDS).ignoreExceptions().until(() -> !started.isAlive() || healthy(chosen));
            if (started.isAlive() || attempt == 3) {
                process = started;
                port = chosen;
                return;
            }
        }
    }

    private static Process launch(int port) {
        try {
            ProcessBuilder builder = new ProcessBuilder(DIRECTORY.resolve("serve").toString(), String.valueOf(port), PASSWORD)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            python(builder);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips (or in CI fails) the test when the original's {@code script} or python3 is missing. */
    static void requireOriginal(String script) {
        String problem = null;
        if (!Files.isExecutable(DIRECTORY.resolve(script))) {
            problem = "the original agent-chat is not at " + DIRECTORY.toAbsolutePath().normalize()
                + " (set AGENT_CHAT_ORIGINAL)";
        } else if (!onPath("python3")) {
            problem = "python3 is not installed";
        }
        if (problem != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(problem);
            }
            Assumptions.abort(problem);
        }
    }

    /** The environment of the original's scripts: no bytecode written next to its (read-only) sources. */
    static void python(ProcessBuilder builder) {
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("PYTHONUNBUFFERED", "1");
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Posts a message as {@code agent} through the original's API. */
    void post(String agent, String text) {
        ObjectNode body = json.createObjectNode().put("agent", agent).put("text", text);
        HttpResponse<String> response = request(HttpRequest.newBuilder(URI.create(url() + "/messages"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("post failed: " + response.statusCode());
        }
    }

    /** Every message as {@code agent: text}, oldest first. */
    List<String> texts() {
        JsonNode messages = parse(request(HttpRequest.newBuilder(URI.create(url() + "/messages")).GET()).body())
            .path("messages");
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.path("agent").asText() + ": " + m.path("text").asText()));
        return texts;
    }

    private static boolean healthy(int port) {
        return request(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).GET()).statusCode() == 200;
    }

    /** A request the original answers with a Content-Length (successes only: its errors never end). */
    private static HttpResponse<String> request(HttpRequest.Builder builder) {
        try {
            return HTTP.send(builder.header("X-Room-Password", PASSWORD).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the original hangs on SIGTERM. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
