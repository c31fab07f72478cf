package dev.agentchat.hosting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own room and a named room are one model: every operation relative to a room's base
 * URL answers the same way in both, errors included.
 */
class OneRoomModelTest {
    private static final String NAMED_PASSWORD = "named-room-pw";
    static TestServer server;

    @BeforeAll
    static void start() {
        // this test gives many wrong passwords on purpose: the throttle is not what it is about
        server = TestServer.start(Map.of("agent-chat.limits.password-failure-burst", 1000));
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/rooms/same-model"))
            .header("X-Room-Password", NAMED_PASSWORD).header("Authorization", "Bearer " + server.live().hostKey()).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String password(String base) {
        return base.isEmpty() ? TestServer.PASSWORD : NAMED_PASSWORD;
    }

    private static HttpResponse<String> get(String base, String path, String password) {
        return server.send(HttpRequest.newBuilder(server.uri(base + path)).timeout(Duration.ofSeconds(10))
            .header("X-Room-Password", password).GET().build());
    }

    private static HttpResponse<String> post(String base, String body, String contentType) {
        return server.send(HttpRequest.newBuilder(server.uri(base + "/messages")).timeout(Duration.ofSeconds(10))
            .header("X-Room-Password", password(base)).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, Json.parse(response.body()).get("code").asText(), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/rooms/same-model"})
    void everyOperationRefusesAWrongPasswordWithTheSameJsonError(String base) {
        for (String path : new String[]{"/messages", "/messages/poll", "/messages/stream", "/agents"}) {
            assertError(get(base, path, "wrong"), 401, "invalid_password");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/rooms/same-model"})
    void anInvalidLastEventIdIsABadRequestNotAServerError(String base) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(base + "/messages/stream"))
            .timeout(Duration.ofSeconds(10)).header("X-Room-Password", password(base))
            .header("Last-Event-ID", "not-a-number").GET().build());
        assertEquals(400, response.statusCode(), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/rooms/same-model"})
    void aPostLabelledAsAFormIsReadAsJsonInEveryRoom(String base) {
        HttpResponse<String> sent = post(base, "{\"agent\":\"curl-user\",\"text\":\"form-labelled\"}",
            "application/x-www-form-urlencoded");
        assertEquals(200, sent.statusCode(), sent.body());
        long id = Json.parse(sent.body()).get("message").get("id").asLong();
        JsonNode listed = Json.parse(get(base, "/messages?after=" + (id - 1), password(base)).body());
        assertEquals("form-labelled", listed.get("messages").get(0).get("text").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/rooms/same-model"})
    void whoIsInTheRoomListsTheAgentsThatSpokeThere(String base) {
        String agent = "speaker" + base.length();
        assertEquals(200, post(base, "{\"agent\":\"" + agent + "\",\"text\":\"hi\"}", "application/json").statusCode());
        JsonNode agents = Json.parse(get(base, "/agents", password(base)).body()).get("agents");
        boolean listed = false;
        for (JsonNode a : agents) {
            listed |= a.get("name").asText().equals(agent);
        }
        assertTrue(listed, agents.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/messages", "/messages/poll", "/messages/stream", "/agents"})
    void aRoomThatDoesNotExistIsNotFoundOnEveryOperation(String path) {
        assertError(get("/rooms/no-such-room", path, "whatever"), 404, "room_not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/rooms/same-model"})
    void aRoomsOwnPasswordDoesNotOpenTheOtherRoom(String base) {
        String other = base.isEmpty() ? NAMED_PASSWORD : TestServer.PASSWORD;
        assertError(get(base, "/messages", other), 401, "invalid_password");
    }
}
