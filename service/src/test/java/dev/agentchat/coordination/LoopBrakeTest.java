package dev.agentchat.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import dev.agentchat.client.testkit.LiveServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop brake through real HTTP: agents are held after N turns without a human, people never are. */
class LoopBrakeTest {
    private static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agent-chat.max-agent-turns", 3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void humanSpeaksFirst() {
        assertEquals(200, human("ann", "let's start").statusCode());
    }

    @Test
    void agentsAreBrakedAfterTheLimitAndNothingIsStored() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, server.post(i % 2 == 0 ? "ping" : "pong", "thanks @" + (i % 2 == 0 ? "pong" : "ping")).statusCode());
        }
        long before = lastId();
        HttpResponse<String> refused = server.post("ping", "thanks again @pong");
        assertEquals(429, refused.statusCode());
        JsonNode error = Json.parse(refused.body());
        assertEquals("loop_brake", error.get("code").asText());
        assertTrue(error.get("error").asText().contains("3 agent messages in a row"), error.get("error").asText());
        assertEquals(before, lastId());
        assertEquals(429, server.postJson("{\"agent\":\"other\",\"text\":\"me too\"}").statusCode());

        JsonNode brake = room().get("brake");
        assertEquals(3, brake.get("agent_turns").asInt());
        assertEquals(3, brake.get("limit").asInt());
        assertTrue(brake.get("engaged").asBoolean());

        assertEquals(200, human("ann", "stop thanking each other").statusCode());
        assertFalse(room().get("brake").get("engaged").asBoolean());
        assertEquals(0, room().get("brake").get("agent_turns").asInt());
        assertEquals(200, server.post("ping", "sorry").statusCode());
    }

    @Test
    void theHostOrAPersonReleasesTheBrakeAndTheStreamSaysSo() {
        try (SseClient stream = SseClient.open(server.http(), server.uri("/messages/stream?events=coordination"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("connected"));
            for (int i = 0; i < 3; i++) {
                server.post("bot", "step " + i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> brakeEvents(stream).size() == 1);
            assertTrue(brakeEvents(stream).get(0).get("engaged").asBoolean());

            assertEquals(403, release("{\"agent\":\"bot\"}", false).statusCode());
            assertEquals("host_only", Json.parse(release("{}", false).body()).get("code").asText());
            // a body saying "human" is no person: any held agent could write it
            assertEquals(403, release("{\"agent\":\"bot\",\"kind\":\"human\"}", false).statusCode());
            HttpResponse<String> byPerson = server.send(withToken("/room/brake/release", personToken("ann"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(200, byPerson.statusCode(), byPerson.body());
            assertFalse(Json.parse(byPerson.body()).get("engaged").asBoolean());
            await().atMost(Duration.ofSeconds(10)).until(() -> brakeEvents(stream).size() == 2);
            assertFalse(brakeEvents(stream).get(1).get("engaged").asBoolean());

            for (int i = 0; i < 3; i++) {
                server.post("bot", "again " + i);
            }
            assertEquals(429, server.post("bot", "held").statusCode());
            assertEquals(200, release("", true).statusCode());
            assertEquals(200, server.post("bot", "free").statusCode());
        }
    }

    @Test
    void aPersonTheHostMutedCannotReleaseTheBrake() {
        String token = personToken("mia");
        assertEquals(200, server.send(HttpRequest.newBuilder(server.uri("/agents/mia/mute"))
            .header("Authorization", "Bearer " + LiveServer.HOST_KEY).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        for (int i = 0; i < 3; i++) {
            server.post("bot", "step " + i);
        }
        HttpResponse<String> refused = server.send(withToken("/room/brake/release", token)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("muted", Json.parse(refused.body()).get("code").asText());
        assertTrue(room().get("brake").get("engaged").asBoolean());
    }

    @Test
    void aBodyThatOnlySaysHumanNeitherReleasesTheBrakeNorPassesIt() {
        for (int i = 0; i < 3; i++) {
            server.post("bot", "step " + i);
        }
        HttpResponse<String> posing = server.postJson("{\"agent\":\"bot2\",\"text\":\"I am a person\",\"kind\":\"human\"}");
        assertEquals(429, posing.statusCode(), posing.body());
        assertEquals("loop_brake", Json.parse(posing.body()).get("code").asText());
        assertTrue(room().get("brake").get("engaged").asBoolean());
        // the host's own words are a person's
        HttpResponse<String> byHost = byHost("{\"agent\":\"host\",\"text\":\"enough\",\"kind\":\"human\"}");
        assertEquals(200, byHost.statusCode(), byHost.body());
        assertFalse(room().get("brake").get("engaged").asBoolean());
    }

    @Test
    void theHostKeyPostingAsAnAgentIsCountedAndHeldLikeOne() {
        for (int i = 0; i < 2; i++) {
            server.post("bot", "step " + i);
        }
        // the host key may drive an agent: only "kind": "human" makes its post a person's
        assertEquals(200, byHost("{\"agent\":\"orchestrator\",\"text\":\"go on\"}").statusCode());
        assertTrue(room().get("brake").get("engaged").asBoolean());
        HttpResponse<String> held = byHost("{\"agent\":\"orchestrator\",\"text\":\"and on\"}");
        assertEquals(429, held.statusCode(), held.body());
        assertEquals("loop_brake", Json.parse(held.body()).get("code").asText());
    }

    private static HttpResponse<String> byHost(String body) {
        return server.send(HttpRequest.newBuilder(server.uri("/messages"))
            .header("Authorization", "Bearer " + LiveServer.HOST_KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void peopleAreNeverBraked() {
        for (int i = 0; i < 3; i++) {
            server.post("bot", "step " + i);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(200, human("ann", "still here " + i).statusCode());
        }
    }

    private static List<JsonNode> brakeEvents(SseClient stream) {
        return stream.events().stream().filter(e -> e.name().equals("brake")).map(e -> Json.parse(e.data())).toList();
    }

    /** A post by a person: under a name held as a person's, with its token. */
    private static HttpResponse<String> human(String name, String text) {
        return server.send(withToken("/messages", personToken(name)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":" + TestServer.quote(text) + "}")).build());
    }

    /** The token of {@code name} held as a person's (claimed once; the same token after that). */
    private static String personToken(String name) {
        return TOKENS.computeIfAbsent(name, n -> {
            HttpResponse<String> joined = server.send(server.authed("/join").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":" + TestServer.quote(n) + ",\"kind\":\"human\"}")).build());
            assertEquals(200, joined.statusCode(), joined.body());
            return Json.parse(joined.body()).get("token").asText();
        });
    }

    private static HttpRequest.Builder withToken(String path, String token) {
        return HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> release(String body, boolean asHost) {
        HttpRequest.Builder request = asHost
            ? HttpRequest.newBuilder(server.uri("/room/brake/release")).header("Authorization", "Bearer " + LiveServer.HOST_KEY)
            : server.authed("/room/brake/release");
        return server.send(request.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode room() {
        return Json.parse(server.get("/room").body());
    }

    private static long lastId() {
        JsonNode messages = Json.parse(server.get("/messages").body()).get("messages");
        return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).get("id").asLong();
    }
}
