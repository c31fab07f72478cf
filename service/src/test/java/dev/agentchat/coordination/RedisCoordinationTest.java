package dev.agentchat.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import dev.agentchat.redis.TwoInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two instances on one real Redis share one brake count, one set of acknowledgements and one of claims. */
class RedisCoordinationTest {
    /** As in RedisScaleOutTest: a new stream may take a while to say it is connected. */
    private static final Duration CONNECT = Duration.ofSeconds(20);
    static TwoInstances instances;
    static TestServer first;
    static TestServer second;

    private static String patToken;

    @BeforeAll
    static void start() {
        instances = TwoInstances.start(Map.of("agent-chat.max-agent-turns", 4));
        first = instances.first();
        second = instances.second();
    }

    @AfterAll
    static void stop() throws Exception {
        instances.close();
    }

    @Test
    void theBrakeCountsAgentTurnsOnEveryInstanceAsOne() {
        assertEquals(200, human(first, "hello agents").statusCode());
        assertEquals(200, first.post("a", "one").statusCode());
        assertEquals(200, second.post("b", "two").statusCode());
        assertEquals(200, first.post("a", "three").statusCode());
        try (SseClient stream = SseClient.open(second.http(), second.uri("/messages/stream?events=coordination"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(CONNECT).until(() -> stream.comments().contains("connected"));
            assertEquals(200, second.post("b", "four").statusCode());
            assertEquals(429, first.post("a", "five").statusCode());
            assertEquals("loop_brake", Json.parse(second.post("b", "five").body()).get("code").asText());
            JsonNode brake = Json.parse(first.get("/room").body()).get("brake");
            assertTrue(brake.get("engaged").asBoolean());
            assertEquals(4, brake.get("agent_turns").asInt());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().stream().anyMatch(e -> e.name().equals("brake")));

            assertEquals(200, human(second, "enough").statusCode());
            assertFalse(Json.parse(first.get("/room").body()).get("brake").get("engaged").asBoolean());
            assertEquals(200, first.post("a", "six").statusCode());
        }
    }

    @Test
    void acknowledgementsAreSeenAndAnnouncedOnEveryInstance() {
        human(first, "go");
        long id = Json.parse(first.postJson("{\"agent\":\"lead\",\"text\":\"@x @y ready?\",\"ack_requested\":true}").body())
            .get("message").get("id").asLong();
        try (SseClient stream = SseClient.open(second.http(), second.uri("/messages/stream?events=coordination"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(CONNECT).until(() -> stream.comments().contains("connected"));
            assertEquals(200, ack(first, id, "x").statusCode());
            JsonNode both = Json.parse(ack(second, id, "y").body());
            assertEquals(List.of("x", "y"), names(both.get("acks")));
            ack(first, id, "X");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                stream.events().stream().filter(e -> e.name().equals("ack")).count() == 2);
        }
        JsonNode message = Json.parse(second.get("/messages?after=" + (id - 1) + "&limit=1").body()).get("messages").get(0);
        assertEquals(List.of("x", "y"), names(message.get("acks")));
    }

    @Test
    void anAcknowledgementIsInTheNextAnswerOfTheInstanceItWasMadeOn() {
        human(first, "go");
        long id = Json.parse(first.postJson("{\"agent\":\"lead\",\"text\":\"@z ready?\",\"ack_requested\":true}").body())
            .get("message").get("id").asLong();
        String page = "/messages?after=" + (id - 1) + "&limit=1";
        JsonNode before = Json.parse(second.get(page).body()).get("messages").get(0);
        assertTrue(!before.has("acks") || before.get("acks").isEmpty(), before.toString());
        assertEquals(200, ack(second, id, "z").statusCode());
        assertEquals(List.of("z"), names(Json.parse(second.get(page).body()).get("messages").get(0).get("acks")));
    }

    @Test
    void aStreamResumedOnAnotherInstanceReplaysTheAcknowledgementsMadeSince() {
        long id = Json.parse(first.post("lead", "@bob ship it").body()).get("message").get("id").asLong();
        assertEquals(200, ack(first, id, "bob").statusCode());
        try (SseClient stream = SseClient.open(second.http(), second.uri("/messages/stream"),
            Map.of("X-Room-Password", TestServer.PASSWORD, "Last-Event-ID", Long.toString(id - 1)))) {
            await().atMost(CONNECT).until(() -> stream.messages().stream().anyMatch(e -> e.id().equals(Long.toString(id))));
            JsonNode replayed = Json.parse(stream.messages().stream().filter(e -> e.id().equals(Long.toString(id)))
                .findFirst().orElseThrow().data());
            assertEquals(List.of("bob"), names(replayed.get("acks")));
        }
    }

    @Test
    void courtesyJudgedWhereAMessageWasPostedHoldsOnTheOtherInstance() {
        human(first, "go");
        long thanks = Json.parse(first.post("a", "thanks @b!").body()).get("message").get("id").asLong();
        assertEquals(200, first.post("a", "@b please review").statusCode());

        JsonNode stored = Json.parse(second.get("/messages?after=" + (thanks - 1)).body()).get("messages");
        assertTrue(stored.get(0).get("ack_only").asBoolean(), stored.toString());
        assertFalse(stored.get(1).has("ack_only"), stored.toString());
        JsonNode forB = Json.parse(second.get("/messages/poll?after=" + (thanks - 1) + "&for=b").body()).get("messages");
        assertEquals(1, forB.size(), forB.toString());
        assertEquals("@b please review", forB.get(0).get("text").asText());
    }

    @Test
    void claimsAreOneSetAcrossInstancesAndConcurrentClaimsHaveOneWinner() {
        HttpResponse<String> taken = claim(first, "{\"agent\":\"ann\",\"resource\":\"core/**\",\"ttl_seconds\":600}");
        assertEquals(200, taken.statusCode(), taken.body());
        String id = Json.parse(taken.body()).get("id").asText();
        HttpResponse<String> conflict = claim(second, "{\"agent\":\"ben\",\"resource\":\"core/db/*.sql\"}");
        assertEquals(409, conflict.statusCode());
        assertEquals(id, Json.parse(conflict.body()).get("claim").get("id").asText());
        assertEquals(first.get("/claims").body(), second.get("/claims").body());

        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestServer via = i % 2 == 0 ? first : second;
            racing.add(via.http().sendAsync(via.authed("/claims").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"p" + i + "\",\"resource\":\"race/**\"}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = racing.stream().map(f -> f.join().statusCode()).toList();
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());

        assertEquals(403, second.send(second.authed("/claims/" + id + "?agent=ben").DELETE().build()).statusCode());
        assertEquals(200, second.send(second.authed("/claims/" + id + "?agent=ann").DELETE().build()).statusCode());
        assertEquals(200, claim(first, "{\"agent\":\"ben\",\"resource\":\"core/db/*.sql\"}").statusCode());
    }

    /** A person's post: pat holds her name as a person's (claimed once, in Redis, so either instance takes the token). */
    private static HttpResponse<String> human(TestServer server, String text) {
        if (patToken == null) {
            HttpResponse<String> joined = first.send(first.authed("/join").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"pat\",\"kind\":\"human\"}")).build());
            assertEquals(200, joined.statusCode(), joined.body());
            patToken = dev.agentchat.Json.parse(joined.body()).get("token").asText();
        }
        return server.send(HttpRequest.newBuilder(server.uri("/messages")).header("Authorization", "Bearer " + patToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":" + TestServer.quote(text) + "}")).build());
    }

    private static HttpResponse<String> ack(TestServer server, long id, String agent) {
        return server.send(server.authed("/messages/" + id + "/ack").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":" + TestServer.quote(agent) + "}")).build());
    }

    private static HttpResponse<String> claim(TestServer server, String body) {
        return server.send(server.authed("/claims").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
