package dev.agentchat.hosting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import dev.agentchat.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room's topic: set at start ({@code agent-chat.topic}) and by the host, read in {@code GET
 * {base}/room}, announced on the streams that ask for it, in the guide, the MCP instructions and the
 * transcript; with Redis, the same on every instance.
 */
class RoomTopicTest {
    RedisServer redis;
    TestServer first;
    TestServer second;

    @AfterEach
    void stop() throws Exception {
        RedisServer.closeAll(first, second, redis);
    }

    @Test
    void topicGivenAtStartIsEverywhereAJoinerLooks() {
        first = TestServer.start(Map.of("agent-chat.topic", "Ship the parser by Friday"));

        assertEquals("Ship the parser by Friday", room(first, "").get("topic").asText());
        String guide = first.send(HttpRequest.newBuilder(first.uri("/skill.md")).GET().build()).body();
        assertTrue(guide.contains("**What this room is for:** Ship the parser by Friday"), guide);
        String export = first.get("/messages/export").body();
        assertTrue(export.startsWith("# agent-chat\n\n**Topic:** Ship the parser by Friday\n"), export);
        HttpResponse<String> initialize = first.send(first.authed("/mcp").header("X-Agent-Name", "coder")
            .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}")).build());
        assertTrue(Json.parse(initialize.body()).get("result").get("instructions").asText()
            .contains("The room's topic: Ship the parser by Friday."), initialize.body());
    }

    @Test
    void onlyTheHostSetsTheTopicAndAnEmptyOneClearsIt() {
        first = TestServer.start();
        assertFalse(room(first, "").has("topic"), "no topic by default");

        HttpResponse<String> member = setTopic(first, "", "{\"topic\":\"mine now\"}", false);
        assertEquals(403, member.statusCode());
        assertEquals("host_only", Json.parse(member.body()).get("code").asText());

        HttpResponse<String> set = setTopic(first, "", "{\"topic\":\"  Review\\nthe design  \"}", true);
        assertEquals(200, set.statusCode(), set.body());
        assertEquals("Review the design", Json.parse(set.body()).get("topic").asText());
        assertEquals("Review the design", room(first, "").get("topic").asText());

        HttpResponse<String> tooLong = setTopic(first, "", "{\"topic\":\"" + "x".repeat(501) + "\"}", true);
        assertEquals(400, tooLong.statusCode());
        assertEquals("invalid_field", Json.parse(tooLong.body()).get("code").asText());
        assertEquals(400, setTopic(first, "", "{}", true).statusCode());
        // characters as people count them: 500 emoji fit, though Java holds each in two units
        assertEquals(200, setTopic(first, "", "{\"topic\":\"" + "🚀".repeat(500) + "\"}", true).statusCode());
        assertEquals(400, setTopic(first, "", "{\"topic\":\"" + "🚀".repeat(501) + "\"}", true).statusCode());

        assertEquals(200, setTopic(first, "", "{\"topic\":\"\"}", true).statusCode());
        assertFalse(room(first, "").has("topic"), "cleared");
    }

    @Test
    void withRedisTheTopicIsSharedAndAnnouncedOnEveryInstance() {
        redis = RedisServer.startOrSkip();
        first = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        second = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        Rooms rooms = new Rooms(first);
        assertEquals(201, rooms.create("planning", "pw").statusCode());
        try (SseClient stream = SseClient.open(second.http(), second.uri("/rooms/planning/messages/stream?events=topic"),
            Map.of("X-Room-Password", "pw"))) {
            await().atMost(20, SECONDS).until(() -> stream.comments().contains("connected"));

            HttpResponse<String> set = setTopic(first, "/rooms/planning", "{\"topic\":\"Plan Q3\"}", true);
            assertEquals(200, set.statusCode(), set.body());

            await().atMost(10, SECONDS).until(() -> stream.events().stream().anyMatch(e -> "topic".equals(e.name())));
            SseClient.Event announced = stream.events().stream().filter(e -> "topic".equals(e.name())).findFirst().orElseThrow();
            assertEquals("{\"topic\":\"Plan Q3\"}", announced.data());
            assertEquals("Plan Q3", Json.parse(new Rooms(second).get("planning", "pw", "/room").body()).get("topic").asText());

            setTopic(second, "/rooms/planning", "{\"topic\":\"\"}", true);
            await().atMost(10, SECONDS).until(() -> stream.events().stream().anyMatch(e -> "{\"topic\":null}".equals(e.data())));
            assertFalse(Json.parse(new Rooms(first).get("planning", "pw", "/room").body()).has("topic"));
        }
    }

    @Test
    void aStreamThatDidNotAskHearsNoTopicEvents() {
        first = TestServer.start();
        try (SseClient stream = SseClient.open(first.http(), first.uri("/messages/stream"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(10, SECONDS).until(() -> stream.comments().contains("connected"));
            setTopic(first, "", "{\"topic\":\"quiet\"}", true);
            first.post("alice", "after the topic");
            await().atMost(10, SECONDS).until(() -> stream.messages().size() == 1);
            assertTrue(stream.events().stream().noneMatch(e -> "topic".equals(e.name())), stream.events().toString());
        }
    }

    private static JsonNode room(TestServer server, String base) {
        HttpResponse<String> answer = server.get(base + "/room");
        assertEquals(200, answer.statusCode(), answer.body());
        return Json.parse(answer.body());
    }

    private static HttpResponse<String> setTopic(TestServer server, String base, String body, boolean host) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(base + "/room/topic"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (host) {
            request.header("Authorization", "Bearer " + server.live().hostKey());
        } else {
            request.header("X-Room-Password", base.isEmpty() ? TestServer.PASSWORD : "pw");
        }
        return server.send(request.build());
    }
}
