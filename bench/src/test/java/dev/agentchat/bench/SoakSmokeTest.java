package dev.agentchat.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak scenario for a few seconds against an embedded server that keeps 20 messages, so its
 * history is full within the run. The heap is this JVM's (the server runs in it), read with the same
 * JDK tools as a started server's. Counts are checked, no timings.
 */
class SoakSmokeTest {
    private static EmbeddedServer server;
    private static Target target;

    @BeforeAll
    static void startServer() {
        Map<String, Object> properties = new HashMap<>(Bench.LIFTED_LIMITS);
        properties.put("agent-chat.password", "pw");
        properties.put("agent-chat.max-history", 20);
        properties.put("micronaut.server.port", -1);
        server = ApplicationContext.run(EmbeddedServer.class, properties);
        target = new Target(URI.create("http://localhost:" + server.getPort()), "pw");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void steadyPostsReachEveryStreamAndTheHeapIsReadAtStartWhenFullAndAtTheEnd() {
        LocalProcess self = new LocalProcess(ProcessHandle.current().pid());
        try (Http http = new Http(target, 1)) {
            Soak.Result result = Soak.run(http, new Control(target), self, Duration.ofSeconds(4), 3, 25, 200);
            assertEquals(3, result.connected());
            assertTrue(result.posted() > 20, "posted " + result.posted());
            assertEquals(0, result.postErrors(), result.problems());
            assertEquals(result.posted() * 3, result.expected());
            assertEquals(result.expected(), result.delivered());
            assertTrue(result.samples().size() >= 2, "samples " + result.samples());
            assertNotNull(result.heapStartBytes(), result.problems());
            assertTrue(result.filled(), "the 20-message history was never full: " + result.samples());
            assertNotNull(result.heapEndBytes(), result.problems());
            assertNotNull(result.grew());
        }
    }

    @Test
    void soakRunsOnlyWhenNamedAndWritesItsFigures(@TempDir Path dir) throws IOException {
        Path results = dir.resolve("results.json");
        int exit = Bench.execute("--url", target.url().toString(), "--password", "pw", "--only", "soak",
            "--soak-minutes", "0.05", "--soak-subscribers", "2", "--soak-rate", "10", "-o", results.toString());
        assertEquals(Bench.EXIT_OK, exit);
        String json = Files.readString(results);
        assertTrue(json.contains("\"soak\": {"), json);
        assertTrue(json.contains("\"delivery_ratio\": 1.0"), json);
        assertTrue(json.contains("\"heap_after_gc_start_bytes\": null"), "no heap figures against --url: " + json);
    }
}
