package dev.agentchat.hosting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import dev.agentchat.limits.ConnectionSlots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomsApiTest {
    static TestServer server;
    static Rooms rooms;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agent-chat.rooms.max-per-address", 50));
        rooms = new Rooms(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void putCreatesTheRoomThenConfirmsItsPassword() {
        HttpResponse<String> created = rooms.create("design-review", "pw-1");
        assertEquals(201, created.statusCode());
        assertEquals("design-review", Json.parse(created.body()).get("room").asText());
        assertTrue(Json.parse(created.body()).get("created").asBoolean());

        HttpResponse<String> confirmed = rooms.create("design-review", "pw-1");
        assertEquals(200, confirmed.statusCode());
        assertFalse(Json.parse(confirmed.body()).get("created").asBoolean());

        HttpResponse<String> wrong = rooms.create("design-review", "pw-2");
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_password", Json.parse(wrong.body()).get("code").asText());
    }

    @Test
    void roomNamesAreCaseInsensitiveSoNoSecondRoomDiffersOnlyInCase() {
        HttpResponse<String> created = rooms.create("Case-Room", "pw");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("case-room", Json.parse(created.body()).get("room").asText());

        HttpResponse<String> again = rooms.create("CASE-ROOM", "pw");
        assertEquals(200, again.statusCode(), "the room that exists, not a second one: " + again.body());
        assertEquals("case-room", Json.parse(again.body()).get("room").asText());

        assertEquals(200, rooms.post("CASE-room", "pw", "a", "said under another case").statusCode());
        JsonNode messages = Json.parse(rooms.get("case-room", "pw", "/messages").body()).get("messages");
        assertEquals("said under another case", messages.get(0).get("text").asText());
        assertEquals(401, rooms.get("Case-Room", "wrong", "/messages").statusCode());
    }

    @Test
    void aRoomsPageUnderAnotherCaseRedirectsToTheRoomsOwnAddressKeepingItsQuery() {
        HttpResponse<String> page = server.send(HttpRequest.newBuilder(rooms.uri("Some-Room", "/?password=a%20b")).GET().build());
        assertEquals(308, page.statusCode());
        assertEquals("/rooms/some-room/?password=a%20b", page.headers().firstValue("Location").orElse(""));
    }

    @Test
    void roomNamesOutsideTheAlphabetOrTooLongAreRejected() {
        for (String name : new String[]{"dots.are.not.allowed", "a".repeat(65), "sp%20ace", "%C3%A9t%C3%A9"}) {
            HttpResponse<String> answer = rooms.create(name, "pw");
            assertEquals(400, answer.statusCode(), name);
            assertEquals("invalid_room_name", Json.parse(answer.body()).get("code").asText(), name);
        }
        assertEquals(201, rooms.create("A_z-0" + "9".repeat(59), "pw").statusCode());
    }

    @Test
    void creatingWithoutPasswordIsABadRequest() {
        HttpResponse<String> answer = rooms.create("no-password", null);
        assertEquals(400, answer.statusCode());
        assertEquals("room_password_required", Json.parse(answer.body()).get("code").asText());
    }

    @Test
    void roomOperationsNeedTheRoomsPassword() {
        rooms.create("guarded", "right");
        assertEquals(401, rooms.post("guarded", "wrong", "a", "hi").statusCode());
        assertEquals(401, rooms.get("guarded", "wrong", "/messages").statusCode());
        assertEquals(401, rooms.get("guarded", TestServer.PASSWORD, "/agents").statusCode());
        HttpResponse<String> anonymous = server.send(HttpRequest.newBuilder(rooms.uri("guarded", "/messages")).GET().build());
        assertEquals(401, anonymous.statusCode());
        assertEquals(200, server.send(HttpRequest.newBuilder(rooms.uri("guarded", "/messages?password=right")).GET().build())
            .statusCode());
    }

    @Test
    void curlStyleFormLabelledJsonIsAcceptedInARoom() {
        rooms.create("curl-room", "pw");
        HttpResponse<String> answer = server.send(HttpRequest.newBuilder(rooms.uri("curl-room", "/messages"))
            .header("X-Room-Password", "pw")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"sh\",\"text\":\"from curl\"}"))
            .build());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("from curl", Json.parse(answer.body()).get("message").get("text").asText());
    }

    @Test
    void unknownRoomIsNotFound() {
        HttpResponse<String> answer = rooms.get("never-created", "pw", "/messages");
        assertEquals(404, answer.statusCode());
        assertEquals("room_not_found", Json.parse(answer.body()).get("code").asText());
    }

    @Test
    void messagesOfOneRoomNeverAppearInAnotherOrTheServersRoom() {
        rooms.create("iso-a", "pa");
        rooms.create("iso-b", "pb");
        long rootBefore = Json.parse(server.get("/messages").body()).get("messages").size();

        JsonNode first = Json.parse(rooms.post("iso-a", "pa", "alice", "only in a").body()).get("message");
        assertEquals(1, first.get("id").asLong());
        assertEquals(2, Json.parse(rooms.post("iso-a", "pa", "alice", "again a").body()).get("message").get("id").asLong());
        assertEquals(1, Json.parse(rooms.post("iso-b", "pb", "bob", "only in b").body()).get("message").get("id").asLong());

        JsonNode a = Json.parse(rooms.get("iso-a", "pa", "/messages").body()).get("messages");
        JsonNode b = Json.parse(rooms.get("iso-b", "pb", "/messages").body()).get("messages");
        assertEquals(2, a.size());
        assertEquals(1, b.size());
        assertEquals("only in b", b.get(0).get("text").asText());
        assertEquals(rootBefore, Json.parse(server.get("/messages").body()).get("messages").size());
        assertFalse(server.get("/messages").body().contains("only in"));
    }

    @Test
    void roomPollAndAgentsWorkLikeTheServersRoom() {
        rooms.create("polling", "pw");
        rooms.post("polling", "pw", "planner", "one");
        JsonNode poll = Json.parse(rooms.get("polling", "pw", "/messages/poll?after=0&agent=watcher").body());
        assertEquals(1, poll.get("messages").size());
        assertEquals(1, poll.get("next").asLong());
        JsonNode agents = Json.parse(rooms.get("polling", "pw", "/agents").body()).get("agents");
        assertEquals(2, agents.size());
        assertTrue(rooms.get("polling", "pw", "/agents").body().contains("planner"));
        assertFalse(server.get("/agents").body().contains("planner"), "presence is per room");
    }

    @Test
    void roomStreamDeliversOnlyThatRoomsMessagesAndResumes() {
        rooms.create("streaming", "pw");
        rooms.create("streaming-other", "pw");
        rooms.post("streaming", "pw", "a", "before");
        try (SseClient stream = SseClient.open(server.http(), rooms.uri("streaming", "/messages/stream"),
            Map.of("X-Room-Password", "pw", "Last-Event-ID", "0"))) {
            rooms.post("streaming-other", "pw", "b", "elsewhere");
            rooms.post("streaming", "pw", "a", "live");
            await().atMost(5, SECONDS).until(() -> stream.messages().size() == 2);
            assertEquals("1", stream.messages().get(0).id());
            assertTrue(stream.messages().get(1).data().contains("\"live\""));
            assertEquals("no-cache, no-transform", stream.response().headers().firstValue("Cache-Control").orElse(""));
        }
    }

    @Test
    void theHostListsTheRoomsAndEndsOneWithEverythingItHeld() throws Exception {
        rooms.create("to-end", "pw");
        rooms.create("to-keep", "pw");
        rooms.post("to-end", "pw", "a", "soon gone");
        JsonNode listed = Json.parse(rooms.list().body()).get("rooms");
        JsonNode entry = null;
        for (JsonNode room : listed) {
            entry = room.get("room").asText().equals("to-end") ? room : entry;
        }
        assertTrue(entry != null, listed.toString());
        assertTrue(OffsetDateTime.parse(entry.get("expires_at").asText())
            .isAfter(OffsetDateTime.parse(entry.get("created_at").asText()).plusHours(23)), entry.toString());

        try (SseClient stream = SseClient.open(server.http(), rooms.uri("to-end", "/messages/stream"), Map.of("X-Room-Password", "pw"));
             SseClient told = SseClient.open(server.http(), rooms.uri("to-end", "/messages/stream?events=end"),
                 Map.of("X-Room-Password", "pw"))) {
            await().atMost(5, SECONDS).until(() -> stream.comments().contains("connected") && told.comments().contains("connected"));
            CompletableFuture<HttpResponse<String>> waiting = server.http().sendAsync(
                HttpRequest.newBuilder(rooms.uri("to-end", "/messages/poll?after=1&wait=50"))
                    .header("X-Room-Password", "pw").GET().build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(5, SECONDS).until(() -> server.context().getBean(ConnectionSlots.class).waitingPolls() == 1);
            HttpResponse<String> notHost = server.send(HttpRequest.newBuilder(rooms.uri("to-end", "/room"))
                .header("X-Room-Password", "pw").DELETE().build());
            assertEquals(403, notHost.statusCode());
            assertEquals("host_only", Json.parse(notHost.body()).get("code").asText());

            assertEquals(204, rooms.end("to-end").statusCode());
            await().atMost(5, SECONDS).until(() -> stream.ended() && told.ended());
            // a stream that asked is told why it ended, as its next request would be; the other is not
            assertEquals(List.of(), stream.events());
            assertEquals(1, told.events().size(), told.events().toString());
            assertEquals("end", told.events().get(0).name());
            assertEquals("room_not_found", Json.parse(told.events().get(0).data()).get("code").asText());
            // told at once that the room is gone, rather than at the end of its wait
            HttpResponse<String> answered = waiting.get(5, SECONDS);
            assertEquals(404, answered.statusCode());
            assertEquals("room_not_found", Json.parse(answered.body()).get("code").asText());
        }
        HttpResponse<String> gone = rooms.get("to-end", "pw", "/messages");
        assertEquals(404, gone.statusCode());
        assertEquals("room_not_found", Json.parse(gone.body()).get("code").asText());
        assertEquals(404, rooms.end("to-end").statusCode());
        assertFalse(rooms.list().body().contains("\"to-end\""));
        assertTrue(rooms.list().body().contains("\"to-keep\""));

        // the name is free again, for a room that starts afresh
        assertEquals(201, rooms.create("to-end", "new-pw").statusCode());
        assertEquals(1, Json.parse(rooms.post("to-end", "new-pw", "b", "fresh").body()).get("message").get("id").asLong());
    }

    @Test
    void deleteOnARoomsBaseUrlEndsItForTheHostAndIsHostOnlyForAnyoneElse() {
        rooms.create("deleted", "pw");
        rooms.post("deleted", "pw", "a", "soon gone");
        HttpResponse<String> withPassword = server.send(HttpRequest.newBuilder(rooms.uri("deleted", ""))
            .header("X-Room-Password", "pw").DELETE().build());
        HttpResponse<String> anonymous = server.send(HttpRequest.newBuilder(rooms.uri("deleted", "")).DELETE().build());
        HttpResponse<String> wrongKey = server.send(HttpRequest.newBuilder(rooms.uri("deleted", ""))
            .header("Authorization", "Bearer not-the-key").DELETE().build());
        for (HttpResponse<String> notHost : List.of(withPassword, anonymous)) {
            assertEquals(403, notHost.statusCode(), notHost.body());
            assertEquals("host_only", Json.parse(notHost.body()).get("code").asText());
        }
        assertEquals(401, wrongKey.statusCode(), wrongKey.body());
        assertEquals("invalid_token", Json.parse(wrongKey.body()).get("code").asText());
        assertEquals(200, rooms.get("deleted", "pw", "/messages").statusCode(), "refused, it ends nothing");

        assertEquals(204, deleteAsHost("/rooms/Deleted").statusCode());

        HttpResponse<String> gone = rooms.get("deleted", "pw", "/messages");
        assertEquals(404, gone.statusCode());
        assertEquals("room_not_found", Json.parse(gone.body()).get("code").asText());
        assertFalse(rooms.list().body().contains("\"deleted\""));
        HttpResponse<String> again = deleteAsHost("/rooms/deleted");
        assertEquals(404, again.statusCode(), again.body());
        assertEquals("room_not_found", Json.parse(again.body()).get("code").asText());
        HttpResponse<String> serverRoom = deleteAsHost("/rooms/~server");
        assertEquals(409, serverRoom.statusCode(), serverRoom.body());
        assertEquals("server_room", Json.parse(serverRoom.body()).get("code").asText());
        HttpResponse<String> badName = deleteAsHost("/rooms/no.dots");
        assertEquals(400, badName.statusCode(), badName.body());
        assertEquals("invalid_room_name", Json.parse(badName.body()).get("code").asText());
    }

    private static HttpResponse<String> deleteAsHost(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + server.live().hostKey()).DELETE().build());
    }

    @Test
    void aRoomWhoseOnlyClientLongPollsAsLongAsItsTtlLivesOn() {
        try (TestServer brief = TestServer.start(Map.of("agent-chat.rooms.ttl", "2s", "agent-chat.max-wait", "2s"))) {
            Rooms briefRooms = new Rooms(brief);
            assertEquals(201, briefRooms.create("polled", "pw").statusCode());
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> poll = briefRooms.get("polled", "pw", "/messages/poll?after=0&wait=2");
                assertEquals(200, poll.statusCode(), "poll " + i + ": " + poll.body());
            }
            // followed by nobody, it ends after its TTL (a wrong password is no activity)
            await().atMost(10, SECONDS).until(() -> briefRooms.get("polled", "wrong", "/messages").statusCode() == 404);
        }
    }

    @Test
    void onlyTheHostListsRoomsAndNobodyEndsTheServersOwnRoom() {
        HttpResponse<String> anonymous = server.send(HttpRequest.newBuilder(server.uri("/rooms")).GET().build());
        assertEquals(403, anonymous.statusCode());
        assertEquals("host_only", Json.parse(anonymous.body()).get("code").asText());
        HttpResponse<String> wrongKey = server.send(HttpRequest.newBuilder(server.uri("/rooms"))
            .header("Authorization", "Bearer not-the-key").GET().build());
        assertEquals(401, wrongKey.statusCode());
        assertEquals("invalid_token", Json.parse(wrongKey.body()).get("code").asText());

        HttpResponse<String> serverRoom = server.send(HttpRequest.newBuilder(server.uri("/room"))
            .header("Authorization", "Bearer " + server.live().hostKey()).DELETE().build());
        assertEquals(409, serverRoom.statusCode());
        assertEquals("server_room", Json.parse(serverRoom.body()).get("code").asText());
        assertEquals(200, server.post("a", "the server's room goes on").statusCode());
    }

    @Test
    void roomWebUiIsServedUnderTheRoomsPath() {
        HttpResponse<String> page = server.send(HttpRequest.newBuilder(rooms.uri("any-room", "/")).GET().build());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        HttpResponse<String> root = server.send(HttpRequest.newBuilder(server.uri("/")).GET().build());
        assertEquals(root.body(), page.body());
        for (String asset : new String[]{"app.js", "connection.js", "style.css"}) {
            HttpResponse<String> mine = server.send(HttpRequest.newBuilder(rooms.uri("any-room", "/" + asset)).GET().build());
            HttpResponse<String> rootOne = server.send(HttpRequest.newBuilder(server.uri("/" + asset)).GET().build());
            assertEquals(200, mine.statusCode(), asset);
            assertEquals(rootOne.body(), mine.body(), asset);
            assertEquals(rootOne.headers().firstValue("Content-Type"), mine.headers().firstValue("Content-Type"), asset);
        }
        assertEquals(404, server.send(HttpRequest.newBuilder(rooms.uri("any-room", "/missing.js")).GET().build()).statusCode());
        HttpResponse<String> bare = server.send(HttpRequest.newBuilder(rooms.uri("any-room", "")).GET().build());
        assertEquals(308, bare.statusCode());
        assertEquals("/rooms/any-room/", bare.headers().firstValue("Location").orElse(""));
    }

    /** A room's identity: what clients key their state by instead of the URL they reached the room at. */
    @Test
    void theRoomAnswersOneIdentityUnderEveryAddressAndWithEveryClaimedName() {
        String id = serverRoomId("127.0.0.1");
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        assertEquals(id, serverRoomId("localhost"));
        String joined = server.send(server.authed("/join").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"identity-holder\"}")).build()).body();
        assertEquals(id, Json.parse(joined).get("room_id").asText(), joined);
    }

    @Test
    void eachRoomHasItsOwnIdentityAndARoomMadeAgainIsAnother() {
        assertEquals(201, rooms.create("identity", "pw").statusCode());
        String first = Json.parse(rooms.get("identity", "pw", "/room").body()).get("id").asText();
        assertNotEquals(serverRoomId("127.0.0.1"), first);
        assertEquals(first, Json.parse(rooms.join("identity", "pw", "someone").body()).get("room_id").asText());

        assertEquals(204, rooms.end("identity").statusCode());
        assertEquals(201, rooms.create("identity", "pw").statusCode());
        String again = Json.parse(rooms.get("identity", "pw", "/room").body()).get("id").asText();
        assertNotEquals(first, again, "a room ended and created again is another room");
    }

    private static String serverRoomId(String host) {
        String body = server.send(server.authed("/room").uri(URI.create("http://" + host + ":" + server.port() + "/room"))
            .GET().build()).body();
        return Json.parse(body).get("id").asText();
    }
}
