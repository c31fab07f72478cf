package dev.agentchat.auth;

import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.hosting.Rooms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's host key, the room's own description and who said what kind of message, over real HTTP. */
class HostKeyTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void creatingANamedRoomNeedsTheHostKey() {
        HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.uri("/rooms/no-key"))
            .header("X-Room-Password", "pw").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("\"code\":\"host_only\""), refused.body());

        HttpResponse<String> wrongKey = server.send(HttpRequest.newBuilder(server.uri("/rooms/no-key"))
            .header("X-Room-Password", "pw").header("Authorization", "Bearer not-the-key")
            .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(401, wrongKey.statusCode());
        assertTrue(wrongKey.body().contains("\"code\":\"invalid_token\""), wrongKey.body());
        assertTrue(wrongKey.body().contains("\"error\":\"Invalid token: not the host key serve printed\""), wrongKey.body());

        assertEquals(201, new Rooms(server).create("with-key", "pw").statusCode());
        // confirming an existing room's password needs no key
        HttpResponse<String> confirmed = server.send(HttpRequest.newBuilder(server.uri("/rooms/with-key"))
            .header("X-Room-Password", "pw").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, confirmed.statusCode());
    }

    @Test
    void anOpenRoomsServerLetsAnyoneCreateRooms() {
        try (TestServer open = TestServer.start(Map.of("agent-chat.rooms.open", true))) {
            HttpResponse<String> created = open.send(HttpRequest.newBuilder(open.uri("/rooms/anyone"))
                .header("X-Room-Password", "pw").PUT(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(201, created.statusCode(), created.body());
        }
    }

    @Test
    void theHostKeyOpensEveryRoomWithoutItsPassword() {
        new Rooms(server).create("hosted", "room-pw");
        HttpResponse<String> root = server.send(asHost("/messages").GET().build());
        assertEquals(200, root.statusCode(), root.body());
        HttpResponse<String> posted = server.send(asHost("/rooms/hosted/messages")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"host\",\"text\":\"hi\"}")).build());
        assertEquals(200, posted.statusCode(), posted.body());

        HttpResponse<String> wrong = server.send(HttpRequest.newBuilder(server.uri("/messages"))
            .header("Authorization", "Bearer wrong").GET().build());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("\"code\":\"invalid_token\""), wrong.body());
        assertTrue(wrong.body().contains("\"error\":\"Invalid token: neither the host key nor a name's token\""), wrong.body());
    }

    @Test
    void aRoomTellsItsNameToThoseWithItsPassword() {
        new Rooms(server).create("described", "room-pw");
        assertEquals("described", Json.parse(new Rooms(server).get("described", "room-pw", "/room").body()).get("name").asText());
        assertEquals("~server", Json.parse(server.get("/room").body()).get("name").asText());
        assertEquals(401, new Rooms(server).get("described", "wrong", "/room").statusCode());
    }

    @Test
    void messagesSayWhetherAPersonOrAnAgentWroteThemAndThatThePasswordAloneVerifiesNobody() {
        String human = server.postJson("{\"agent\":\"ann\",\"text\":\"from a person\",\"kind\":\"human\"}").body();
        assertTrue(human.contains("\"kind\":\"human\""), human);
        assertTrue(human.contains("\"verified\":false"), human);
        String agent = server.post("bot", "from a program").body();
        assertTrue(agent.contains("\"kind\":\"agent\""), agent);

        HttpResponse<String> bad = server.postJson("{\"agent\":\"x\",\"text\":\"t\",\"kind\":\"robot\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("\"code\":\"invalid_field\""), bad.body());

        String history = server.get("/messages").body();
        assertTrue(history.contains("\"agent\":\"ann\",\"text\":\"from a person\""), history);
        assertTrue(history.contains("\"kind\":\"human\""), history);
    }

    private static HttpRequest.Builder asHost(String path) {
        return HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + server.live().hostKey());
    }
}
