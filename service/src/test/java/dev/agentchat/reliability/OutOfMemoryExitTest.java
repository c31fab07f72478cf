package dev.agentchat.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server process whose memory runs out: with every memory budget lifted to the whole heap (the
 * settings allow it) and the low-heap refusal off, messages fill a small heap until an
 * OutOfMemoryError; or an answer is too large for the direct memory its JVM may use. The JVM runs
 * without {@code -XX:+ExitOnOutOfMemoryError} (which would not see the second anyway: Java code throws
 * it, not the JVM), so it is the server's own {@code OutOfMemoryExit} that must end the process, with
 * status 3, instead of leaving it hanging.
 */
class OutOfMemoryExitTest {
    private static final String MAX_TEXT = "x".repeat(65536);
    private static final int STATUS = 3;
    private static final Duration FILL_WITHIN = Duration.ofSeconds(120);

    /**
     * Where the heap runs out depends on the heap's size and the messages' (the store, a request's body, a
     * thread's uncaught-exception handler): each pair below has run out somewhere else.
     */
    @ParameterizedTest(name = "heap {0}, messages of {1} characters")
    @CsvSource({"96m, 65536", "80m, 30000", "112m, 30000"})
    void anOutOfMemoryErrorEndsTheProcessWithStatus3(String heap, int length) throws Exception {
        ServerProcess started = ServerProcess.start(List.of("-Xmx" + heap), "agent-chat.max-history=1000000", "agent-chat.memory.history-total=100%", "agent-chat.memory.history-per-room=100%", "agent-chat.memory.low-heap=100%", "agent-chat.limits.send-burst-per-address=1000000", "agent-chat.limits.send-burst-per-agent=1000000");
        Process server = started.process();
        int port = started.port();
        try {
            RawHttp http = new RawHttp(port);
            started.awaitHealthy(Duration.ofSeconds(60));
            byte[] body = ("{\"agent\":\"filler\",\"text\":\"" + "x".repeat(length) + "\"}").getBytes(StandardCharsets.UTF_8);
            // each message is held as its text and its JSON: the heap is full long before the deadline,
            // which only keeps a server that neither serves nor exits from holding the build
            long deadline = System.nanoTime() + FILL_WITHIN.toNanos();
            while (server.isAlive() && System.nanoTime() < deadline) {
                try {
                    http.send("POST", "/messages", Map.of("X-Room-Password", RawHttp.PASSWORD,
                        "Content-Type", "application/json"), body, "127.0.0.1");
                } catch (IOException refusedOrGone) {
                    // the server is dying or dead: its exit status tells
                }
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server is still running:\n" + started.logTail());
            assertEquals(STATUS, server.exitValue(), "exit status; log:\n" + started.logTail());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void anOutOfMemoryErrorWhileAnAnswerIsWrittenEndsTheProcessWithStatus3() throws Exception {
        // the history as one poll's answer (its size bound lifted): 600 messages of 64 KiB do not fit in
        // 32 MiB of direct memory
        ServerProcess started = ServerProcess.start(List.of("-Xmx384m", "-XX:MaxDirectMemorySize=32m"),
            "agent-chat.max-answer-bytes=100000000",
            "agent-chat.memory.history-total=100%", "agent-chat.memory.history-per-room=100%",
            "agent-chat.memory.low-heap=100%", "agent-chat.limits.send-burst-per-address=1000000",
            "agent-chat.limits.send-burst-per-agent=1000000");
        Process server = started.process();
        try {
            RawHttp http = new RawHttp(started.port());
            started.awaitHealthy(Duration.ofSeconds(60));
            for (int i = 0; i < 600; i++) {
                RawHttp.Response posted = http.postJson("{\"agent\":\"filler\",\"text\":\"" + MAX_TEXT + "\"}");
                assertEquals(200, posted.status(), posted.body() + "\n" + started.logTail());
            }
            try {
                http.send("GET", "/messages/poll?after=0", Map.of("X-Room-Password", RawHttp.PASSWORD), null, "127.0.0.1");
            } catch (IOException gone) {
                // the server is dying or dead: its exit status tells
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server is still running:\n" + started.logTail());
            assertEquals(STATUS, server.exitValue(), "exit status; log:\n" + started.logTail());
        } finally {
            server.destroyForcibly();
        }
    }
}
