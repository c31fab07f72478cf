package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;
import org.awaitility.core.ConditionTimeoutException;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A real agent-chat server in a JVM of its own, for what only a whole process shows: JVM flags
 * (heap size), signals and exit statuses. It listens on a free port with the room password
 * {@link RawHttp#PASSWORD}; its output goes to a log file.
 */
final class ServerProcess {
    private static final int BIND_ATTEMPTS = 3;
    private static final String PORT_TAKEN = "Address already in use";
    private final Process process;
    private final int port;
    private final File log;

    private ServerProcess(Process process, int port, File log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the server and waits until it answers {@code /health} or exits. The free port is chosen
     * before the server binds it, so another socket can take it in between: a server that exits because
     * its port was taken is started again on another one.
     *
     * @param jvmFlags  flags for the server's JVM, e.g. {@code -Xmx256m}
     * @param settings  {@code key=value} settings, passed as system properties
     */
    static ServerProcess start(List<String> jvmFlags, String... settings) throws IOException {
        for (int attempt = 1; ; attempt++) {
            ServerProcess started = launch(jvmFlags, settings);
            started.awaitHealthyOrExited(Duration.ofSeconds(60));
            if (started.process.isAlive() || attempt == BIND_ATTEMPTS || !started.logTail().contains(PORT_TAKEN)) {
                return started;
            }
        }
    }

    private static ServerProcess launch(List<String> jvmFlags, String... settings) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        File log = File.createTempFile("agent-chat-server", ".log");
        log.deleteOnExit();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
            "-Dagent-chat.password=" + RawHttp.PASSWORD, "-Dagent-chat.host-key=" + LiveServer.HOST_KEY,
            "-Dagent-chat.max-agent-turns=0"));
        for (String setting : settings) {
            command.add("-D" + setting);
        }
        command.addAll(List.of("-Dmicronaut.server.port=" + port, "dev.agentchat.Application"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        return new ServerProcess(process, port, log);
    }

    /** Whether the server answered {@code /health} or exited within the time given. */
    private boolean awaitHealthyOrExited(Duration within) {
        RawHttp http = new RawHttp(port);
        try {
            await().atMost(within).ignoreExceptions()
                .until(() -> !process.isAlive() || http.send("GET", "/health", Map.of(), null, "127.0.0.1").status() == 200);
            return true;
        } catch (ConditionTimeoutException slow) {
            return false;
        }
    }

    Process process() {
        return process;
    }

    int port() {
        return port;
    }

    /**
     * Waits until {@code /health} answers 200; a server that exits first, or does not answer in time,
     * fails with the end of its log, so the failure says why.
     */
    void awaitHealthy(Duration within) throws IOException {
        if (!awaitHealthyOrExited(within)) {
            throw new AssertionError("the server did not answer /health on port " + port + " within " + within
                + "; its log:\n" + logTail());
        }
        if (!process.isAlive()) {
            throw new AssertionError("the server exited with " + process.exitValue() + " before it answered; its log:\n"
                + logTail());
        }
    }

    /** The end of what the server logged, for a failure message. */
    String logTail() throws IOException {
        String text = Files.readString(log.toPath(), StandardCharsets.ISO_8859_1);
        return text.substring(Math.max(0, text.length() - 4000));
    }
}
