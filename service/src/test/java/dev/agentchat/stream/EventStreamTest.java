package dev.agentchat.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventStreamTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        // the resume test posts 1000 messages as one agent: far above the default send rates
        server = TestServer.start(Map.of("agent-chat.keepalive", "200ms", "agent-chat.max-history", 2000,
            "agent-chat.limits.send-burst-per-agent", 100_000, "agent-chat.limits.send-burst-per-address", 100_000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void postedMessageReachesEverySubscriber() {
        try (SseClient first = subscribe(Map.of()); SseClient second = subscribe(Map.of())) {
            awaitConnected(first);
            awaitConnected(second);
            JsonNode posted = Json.parse(server.post("poster", "to everyone").body()).get("message");
            for (SseClient client : List.of(first, second)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> client.messages().size() == 1);
                SseClient.Event event = client.messages().get(0);
                assertEquals(posted.get("id").asText(), event.id());
                assertEquals(posted, Json.parse(event.data()));
            }
        }
    }

    @Test
    void streamOpensWithACommentAndSendsKeepalives() {
        try (SseClient client = subscribe(Map.of())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> client.comments().contains("keepalive"));
            assertEquals("connected", client.comments().get(0));
            assertEquals("text/event-stream", client.response().headers().firstValue("content-type").orElse(""));
            assertEquals("no-cache, no-transform", client.response().headers().firstValue("cache-control").orElse(""));
            assertEquals("no", client.response().headers().firstValue("x-accel-buffering").orElse(""));
        }
    }

    @Test
    void aStreamGoesUncompressedToAClientThatAcceptsGzipWhileOtherTextStaysCompressed() {
        try (SseClient client = SseClient.open(server.http(), server.uri("/messages/stream"),
            Map.of("X-Room-Password", TestServer.PASSWORD, "Accept-Encoding", "gzip, deflate, br"))) {
            awaitConnected(client);
            JsonNode posted = Json.parse(server.post("poster", "plain on the wire").body()).get("message");
            await().atMost(Duration.ofSeconds(5)).until(() -> client.messages().size() == 1);
            assertEquals(posted, Json.parse(client.messages().get(0).data()));
            assertEquals(Optional.empty(), client.response().headers().firstValue("content-encoding"));
        }
        HttpResponse<String> page = server.send(HttpRequest.newBuilder(server.uri("/")).header("Accept-Encoding", "gzip").build());
        assertEquals("gzip", page.headers().firstValue("content-encoding").orElse(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json, text/event-stream", "application/json", "*/*"})
    void aStreamIsAnsweredWhateverElseTheClientAccepts(String accept) {
        try (SseClient client = subscribe(Map.of("Accept", accept))) {
            awaitConnected(client);
            JsonNode posted = Json.parse(server.post("poster", "whatever was accepted").body()).get("message");
            await().atMost(Duration.ofSeconds(5)).until(() -> client.messages().size() == 1);
            assertEquals(posted, Json.parse(client.messages().get(0).data()));
            assertEquals("text/event-stream", client.response().headers().firstValue("content-type").orElse(""));
        }
    }

    @Test
    void anEventKindTheServerDoesNotSendIsABadParameterNamingTheKindsItSends() {
        HttpResponse<String> refused = server.send(server.authed("/messages/stream?events=presence,bogus")
            .header("Accept", "text/event-stream").build());

        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"code\":\"invalid_parameter\"") && refused.body().contains("'bogus'")
            && refused.body().contains("presence, topic, keepalive, coordination"), refused.body());
    }

    @Test
    void keepalivesComeAsEventsWithoutAnIdWhenAskedFor() {
        try (SseClient client = SseClient.open(server.http(), server.uri("/messages/stream?events=presence,keepalive"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(Duration.ofSeconds(5))
                .until(() -> client.events().stream().anyMatch(e -> "keepalive".equals(e.name())));
            SseClient.Event keepalive = client.events().stream().filter(e -> "keepalive".equals(e.name())).findFirst().orElseThrow();
            assertEquals("{}", keepalive.data());
            assertNull(keepalive.id());
            assertEquals(List.of("connected"), client.comments());
            // a message after keepalive events still carries its id
            JsonNode posted = Json.parse(server.post("poster", "after the keepalives").body()).get("message");
            await().atMost(Duration.ofSeconds(5)).until(() -> client.messages().size() == 1);
            assertEquals(posted.get("id").asText(), client.messages().get(0).id());
        }
    }

    @Test
    void multiLineTextArrivesAsOneDataLine() {
        try (SseClient client = subscribe(Map.of())) {
            awaitConnected(client);
            server.post("a", "line one\nline two\n\ndata: injected\nid: 999");
            await().atMost(Duration.ofSeconds(5)).until(() -> client.messages().size() == 1);
            assertEquals("line one\nline two\n\ndata: injected\nid: 999",
                Json.parse(client.messages().get(0).data()).get("text").asText());
        }
    }

    @Test
    void resumeWithLastEventIdReplaysWithoutGapOrDuplicateWhilePostsContinue() throws Exception {
        long start = lastId();
        int total = 1000;
        for (int i = 0; i < 100; i++) {
            server.post("bulk", "m" + i);
        }
        AtomicBoolean posting = new AtomicBoolean(true);
        Thread poster = new Thread(() -> {
            for (int i = 100; i < total; i++) {
                server.post("bulk", "m" + i);
            }
            posting.set(false);
        });
        poster.start();
        // resume from the middle of what is already there while the poster keeps going
        try (SseClient client = subscribe(Map.of("Last-Event-ID", Long.toString(start + 50)))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !posting.get() && client.messages().size() >= total - 50);
            poster.join();
            List<SseClient.Event> events = client.messages();
            assertEquals(total - 50, events.size());
            for (int i = 0; i < events.size(); i++) {
                assertEquals(start + 51 + i, Long.parseLong(events.get(i).id()));
                assertEquals("m" + (50 + i), Json.parse(events.get(i).data()).get("text").asText());
            }
        }
    }

    @Test
    void afterQueryParameterResumesLikeLastEventId() {
        long start = lastId();
        server.post("a", "first");
        server.post("a", "second");
        try (SseClient client = SseClient.open(server.http(),
            server.uri("/messages/stream?password=" + TestServer.PASSWORD + "&after=" + (start + 1)), Map.of())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> client.messages().size() == 1);
            assertEquals("second", Json.parse(client.messages().get(0).data()).get("text").asText());
        }
    }

    @Test
    void withoutACursorOnlyNewMessagesAreSent() {
        server.post("a", "old news");
        try (SseClient client = subscribe(Map.of())) {
            awaitConnected(client);
            server.post("a", "fresh");
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.messages().isEmpty());
            assertEquals("fresh", Json.parse(client.messages().get(0).data()).get("text").asText());
        }
    }

    @Test
    void resumingFromBeyondTheRetainedHistorySaysItWasTruncated() {
        try (TestServer small = TestServer.start(Map.of("agent-chat.max-history", 3))) {
            for (int i = 1; i <= 6; i++) {
                small.post("a", "n" + i);
            }
            try (SseClient client = SseClient.open(small.http(), small.uri("/messages/stream"),
                Map.of("X-Room-Password", TestServer.PASSWORD, "Last-Event-ID", "1"))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> client.messages().size() == 3);
                SseClient.Event first = client.events().get(0);
                assertEquals("truncated", first.name());
                JsonNode data = Json.parse(first.data());
                assertEquals(1, data.get("requested").asLong());
                assertEquals(4, data.get("oldest").asLong());
                assertEquals("4", client.messages().get(0).id());
            }
        }
    }

    @Test
    void streamFilteredForANameSkipsUnrelatedMessages() {
        try (SseClient client = SseClient.open(server.http(),
            server.uri("/messages/stream?for=ops"), Map.of("X-Room-Password", TestServer.PASSWORD))) {
            awaitConnected(client);
            server.post("a", "nothing for you");
            server.postJson("{\"agent\":\"a\",\"text\":\"deploy please\",\"to\":[\"ops\"]}");
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.messages().isEmpty());
            assertEquals("deploy please", Json.parse(client.messages().get(0).data()).get("text").asText());
            assertEquals(1, client.messages().size());
        }
    }

    private static SseClient subscribe(Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("X-Room-Password", TestServer.PASSWORD);
        return SseClient.open(server.http(), server.uri("/messages/stream"), all);
    }

    private static void awaitConnected(SseClient client) {
        await().atMost(Duration.ofSeconds(5)).until(() -> client.comments().contains("connected"));
    }

    private static long lastId() {
        JsonNode messages = Json.parse(server.get("/messages").body()).get("messages");
        return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).get("id").asLong();
    }
}
