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
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator at toy scale against a real embedded server: it must count right; no timings are judged. */
class BenchSmokeTest {
    private static EmbeddedServer server;
    private static Target target;

    @BeforeAll
    static void startServer() {
        Map<String, Object> properties = new HashMap<>(Bench.LIFTED_LIMITS);
        properties.put("agent-chat.password", "pw");
        properties.put("micronaut.server.port", -1);
        server = ApplicationContext.run(EmbeddedServer.class, properties);
        target = new Target(URI.create("http://localhost:" + server.getPort()), "pw");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void everySubscriberReceivesEveryMessageOnce() {
        try (Http http = new Http(target, 1)) {
            FanOut.Result result = FanOut.run(http, new Control(target), null, 5, 10, 2, Duration.ofMillis(5));
            assertEquals(5, result.connected());
            assertEquals(50, result.delivered());
            assertEquals(1.0, result.deliveryRatio());
            assertEquals(0, result.duplicates());
            assertEquals(10, result.warmUpDelivered(), "both warm-up messages reached all 5, unmeasured");
            assertEquals(50, result.latency().count());
            assertTrue(result.latency().p50() >= 0 && result.latency().p99() <= result.latency().max());
        }
    }

    @Test
    void oneMessageWakesEveryWaitingPoll() {
        try (Http http = new Http(target, 1)) {
            LongPollWake.Result result = LongPollWake.run(http, new Control(target), null, 5, 1, 2);
            assertEquals(2, result.rounds().size());
            assertEquals(List.of(5, 5), result.rounds().stream().map(LongPollWake.Round::waiting).toList());
            assertEquals(10, result.woken());
            assertEquals(10, result.wake().count());
            assertEquals(5, result.cold().woken());
            assertEquals(0, result.errors());
        }
    }

    @Test
    void closedLoopLoadCountsAnsweredRequestsAndDeliveredEvents() {
        try (Http http = new Http(target, 1)) {
            Throughput.Result result = Throughput.run(http, null, "POST /messages",
                http.postJson("/messages", "{\"agent\":\"bench\",\"text\":\"load\"}"), 4, 3,
                Duration.ofMillis(100), Duration.ofMillis(500));
            assertEquals(4, result.concurrency());
            assertEquals(3, result.subscribers());
            assertTrue(result.ok() > 0, "some posts were answered");
            assertEquals(0, result.errors());
            assertTrue(result.subscriberFramesPerSecond() > 0, "subscribers heard the posts");
        }
    }

    @Test
    void wrongPasswordIsReportedAsRefusedStreams() {
        Target wrong = new Target(target.url(), "not-the-password");
        try (Http http = new Http(wrong, 1);
             SubscriberSet set = SubscriberSet.open(http, 3, false, (s, d, t) -> { }, Duration.ofSeconds(10))) {
            assertEquals(0, set.connected());
            assertEquals(3, set.refused());
            assertEquals(401, set.refusedStatus());
        }
    }

    @Test
    void commandAgainstAUrlWritesTheResultsFile(@TempDir Path dir) throws IOException {
        Path results = dir.resolve("results.json");
        int exit = Bench.execute("--url", target.url().toString(), "--password", "pw",
            "--only", "fanout,longpoll", "--subscribers", "3", "--messages", "4", "--interval", "PT0.005S",
            "--long-polls", "3", "--long-poll-warm-up", "1", "--long-poll-rounds", "2", "-o", results.toString());
        assertEquals(Bench.EXIT_OK, exit);
        String json = Files.readString(results);
        assertTrue(json.contains("\"delivery_ratio\": 1.0"), json);
        assertTrue(json.contains("\"woken\": 6"), json);
        String html = Files.readString(dir.resolve("results.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<h2>Fan-out latency"), html);
        assertTrue(html.contains("<h2>Long-poll wake-up</h2>"), html);
        assertSelfContained(html);
    }

    /** No script, stylesheet, image or font fetched from anywhere: the page is one file. */
    static void assertSelfContained(String html) {
        for (String external : List.of("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import")) {
            assertFalse(html.contains(external), "the report refers to an external asset: " + external);
        }
    }

    @Test
    void aRoundCountBelowOneIsAUsageError() {
        assertEquals(Bench.EXIT_USAGE, Bench.execute("--url", target.url().toString(), "--password", "pw",
            "--only", "longpoll", "--long-poll-rounds", "0"));
    }

    @Test
    void missingServerChoiceIsAUsageError() {
        assertEquals(Bench.EXIT_USAGE, Bench.execute("--subscribers", "1"));
    }
}
