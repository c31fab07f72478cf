package dev.agentchat.hosting;

import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.SseClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RoomLimitsTest {

    @Test
    void serverCapRefusesMoreRooms() {
        try (TestServer server = TestServer.start(Map.of("agent-chat.rooms.max-rooms", 2))) {
            Rooms rooms = new Rooms(server);
            assertEquals(201, rooms.create("one", "pw").statusCode());
            assertEquals(201, rooms.create("two", "pw").statusCode());
            HttpResponse<String> third = rooms.create("three", "pw");
            assertEquals(429, third.statusCode());
            assertEquals("too_many_rooms", Json.parse(third.body()).get("code").asText());
            assertEquals(200, rooms.create("one", "pw").statusCode(), "existing rooms are still confirmed");
        }
    }

    @Test
    void perAddressCapRefusesMoreRoomsFromTheSameClient() {
        try (TestServer server = TestServer.start(Map.of("agent-chat.rooms.max-per-address", 1))) {
            Rooms rooms = new Rooms(server);
            assertEquals(201, rooms.create("mine", "pw").statusCode());
            HttpResponse<String> second = rooms.create("also-mine", "pw");
            assertEquals(429, second.statusCode());
            assertEquals("too_many_rooms_from_address", Json.parse(second.body()).get("code").asText());
            assertEquals(1, Json.parse(second.body()).get("limit").asLong());
        }
    }

    @Test
    void noRoomsTurnsCreationOff() {
        try (TestServer server = TestServer.start(Map.of("agent-chat.rooms.enabled", false))) {
            HttpResponse<String> answer = new Rooms(server).create("wanted", "pw");
            assertEquals(403, answer.statusCode());
            assertEquals("rooms_disabled", Json.parse(answer.body()).get("code").asText());
            assertEquals(200, server.get("/messages").statusCode(), "the server's own room is unaffected");
        }
    }

    @Test
    void idleRoomExpiresWithItsMessagesAndCanBeCreatedAgain() {
        try (TestServer server = shortLivedRooms()) {
            Rooms rooms = new Rooms(server);
            assertEquals(201, rooms.create("brief", "old").statusCode());
            rooms.post("brief", "old", "a", "soon gone");
            // a wrong password does not count as activity; while the room lives it answers 401
            await().atMost(5, SECONDS).until(() -> rooms.get("brief", "wrong", "/messages").statusCode() == 404);
            assertEquals(201, rooms.create("brief", "new").statusCode());
            assertEquals(0, Json.parse(rooms.get("brief", "new", "/messages").body()).get("messages").size());
            assertEquals(401, rooms.get("brief", "old", "/messages").statusCode());
        }
    }

    @Test
    void aStreamFollowingARoomKeepsItAliveAndItsTtlRunsFromWhenTheStreamEnds() {
        try (TestServer server = shortLivedRooms()) {
            Rooms rooms = new Rooms(server);
            assertEquals(201, rooms.create("watched", "pw").statusCode());
            try (SseClient stream = SseClient.open(server.http(), rooms.uri("watched", "/messages/stream"),
                Map.of("X-Room-Password", "pw"))) {
                await().atMost(5, SECONDS).until(() -> stream.comments().contains("connected"));
                // three TTLs without a request: a wrong password is not activity, and answers 401 while the room lives
                await().during(3, SECONDS).atMost(5, SECONDS)
                    .until(() -> rooms.get("watched", "wrong", "/messages").statusCode() == 401);
                assertFalse(stream.ended());
            }
            await().atMost(5, SECONDS).until(() -> rooms.get("watched", "wrong", "/messages").statusCode() == 404);
        }
    }

    /** Rooms that live a second without activity; wrong passwords (the tests' probe, not activity) are never throttled. */
    private static TestServer shortLivedRooms() {
        return TestServer.start(Map.of("agent-chat.rooms.ttl", "1s", "agent-chat.rooms.sweep", "200ms",
            "agent-chat.limits.password-failure-burst", 10_000));
    }

    @Test
    void wrongRoomPasswordsAreThrottledPerAddressLikeTheServersRoom() {
        try (TestServer server = TestServer.start(Map.of("agent-chat.limits.password-failure-burst", 2,
            "agent-chat.limits.password-failure-refill", "1h"))) {
            Rooms rooms = new Rooms(server);
            assertEquals(201, rooms.create("guessed", "right").statusCode());
            assertEquals(401, rooms.get("guessed", "guess-1", "/messages").statusCode());
            assertEquals(401, rooms.create("guessed", "guess-2").statusCode());
            HttpResponse<String> throttled = rooms.get("guessed", "right", "/messages");
            assertEquals(429, throttled.statusCode());
            assertEquals("too_many_password_failures", Json.parse(throttled.body()).get("code").asText());
        }
    }

    @Test
    void sendRateLimitsApplyInRooms() {
        try (TestServer server = TestServer.start(Map.of("agent-chat.limits.send-burst-per-address", 2,
            "agent-chat.limits.send-refill-per-address", "1h", "agent-chat.limits.exempt-loopback", false))) {
            Rooms rooms = new Rooms(server);
            rooms.create("busy", "pw");
            assertEquals(200, rooms.post("busy", "pw", "a", "1").statusCode());
            assertEquals(200, rooms.post("busy", "pw", "b", "2").statusCode());
            HttpResponse<String> limited = rooms.post("busy", "pw", "c", "3");
            assertEquals(429, limited.statusCode());
            assertEquals("send_rate_limited", Json.parse(limited.body()).get("code").asText());
        }
    }
}
