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
    void cliScenarioRunsEveryCommandOfEachCliAndComparesWithTheOriginal(@TempDir Path dir) throws IOException {
        Path ours = fakeCli(dir, "ours", 0);
        Path original = fakeCli(dir, "original", 0);
        Path results = dir.resolve("results.json");
        int exit = Bench.execute("--url", target.url().toString(), "--password", "pw", "--only", "cli",
            "--cli", ours.toString(), "--original-cli", original.toString(), "--cli-runs", "2",
            "--server-jar", dir.resolve("agent-chat.jar").toString(), "-o", results.toString());
        assertEquals(Bench.EXIT_OK, exit);
        List<String> ourRuns = Files.readAllLines(dir.resolve("ours.log"));
        assertEquals(8, ourRuns.size(), "send, read, wait and who, twice each");
        assertEquals(List.of("send", "read", "wait", "who", "send", "read", "wait", "who"),
            ourRuns.stream().map(line -> line.split(" ")[0]).toList());
        assertTrue(ourRuns.get(2).contains("--timeout"), ourRuns.get(2));
        assertEquals(List.of("send", "send"),
            Files.readAllLines(dir.resolve("original.log")).stream().map(line -> line.split(" ")[0]).toList(),
            "the original has only send of these");
        String json = Files.readString(results);
        assertTrue(json.contains("\"median_ratio_to_original\""), json);
        assertTrue(json.contains("\"failures\": 0"), json);
    }

    @Test
    void cliScenarioCountsACommandThatFails(@TempDir Path dir) {
        Path failing = fakeCli(dir, "failing", 3);
        CliStartup.Result result = CliStartup.run(target, new Control(target),
            List.of(new CliStartup.Cli("failing", List.of(failing.toString()), java.util.Set.of("who"), Map.of())),
            null, 2, dir);
        CliStartup.Timing who = result.timings().get("who").get("failing");
        assertEquals(2, who.failures());
        assertEquals(0, who.wall().count());
        assertTrue(who.lastFailure().startsWith("exit 3"), who.lastFailure());
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

    /** A stand-in CLI: appends its arguments to NAME.log in {@code dir} and exits with {@code exit}. */
    private static Path fakeCli(Path dir, String name, int exit) {
        try {
            Path script = dir.resolve(name);
            Files.writeString(script, "#!/bin/sh\necho \"$@\" >> '" + dir.resolve(name + ".log") + "'\n"
                + (exit == 0 ? "" : "echo 'it failed' >&2\n") + "exit " + exit + "\n");
            script.toFile().setExecutable(true);
            return script;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
