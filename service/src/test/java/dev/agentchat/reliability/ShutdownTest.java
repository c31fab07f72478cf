package dev.agentchat.reliability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM to a real server process holding open streams (its own room's and a named room's) and a waiting long-poll. */
class ShutdownTest {

    @Test
    void sigtermEndsOpenStreamsCleanlyAndExitsZeroWithinFiveSeconds() throws Exception {
        ServerProcess started = ServerProcess.start(List.of());
        Process server = started.process();
        int port = started.port();
        try {
            RawHttp http = new RawHttp(port);
            started.awaitHealthy(Duration.ofSeconds(30));
            assertEquals(200, http.postJson("{\"agent\":\"a\",\"text\":\"before shutdown\"}").status());

            Socket stream = http.openStream("/messages/stream?after=0", "127.0.0.1");
            InputStream in = stream.getInputStream();
            readUntil(in, "before shutdown");
            assertEquals(201, http.send("PUT", "/rooms/drained", RawHttp.asHost(java.util.Map.of("X-Room-Password", RawHttp.PASSWORD)),
                null, "127.0.0.1").status());
            Socket named = http.openStream("/rooms/drained/messages/stream?after=0", "127.0.0.1");
            InputStream namedIn = named.getInputStream();
            readUntil(namedIn, ": connected");
            CompletableFuture<RawHttp.Response> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return http.get("/messages/poll?after=1&wait=30");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !poll.isDone());

            long start = System.nanoTime();
            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(5, TimeUnit.SECONDS), "the server did not exit within 5 s");
            assertEquals(0, server.exitValue(), "exit status");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));

            // the stream ended with the last chunk of its chunked body: a clean end, not a reset
            stream.setSoTimeout(5_000);
            String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(rest.endsWith("0\r\n\r\n"), "stream did not end cleanly: " + rest);
            stream.close();
            named.setSoTimeout(5_000);
            String namedRest = new String(namedIn.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(namedRest.endsWith("0\r\n\r\n"), "the named room's stream did not end cleanly: " + namedRest);
            named.close();
            // the waiting long-poll was answered, not dropped
            assertEquals(200, poll.get(5, TimeUnit.SECONDS).status());
        } finally {
            server.destroyForcibly();
        }
    }

    private static void readUntil(InputStream in, String expected) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(expected)) {
            int b = in.read();
            assertTrue(b >= 0, "stream ended early: " + seen);
            seen.append((char) b);
        }
    }

}
