package dev.agentchat.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
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

/** Courtesy, acknowledgements, read receipts and work claims through real HTTP. */
class CoordinationApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agent-chat.limits.claims-per-agent", 3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void courtesyIsStoredAsAckOnlyAndDoesNotWakeAPollForMentions() throws Exception {
        long start = lastId();
        CompletableFuture<HttpResponse<String>> poll = server.http().sendAsync(
            server.authed("/messages/poll?after=" + start + "&wait=10&for=bob&agent=bob").GET().build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode thanks = Json.parse(server.post("alice", "thanks @bob!").body()).get("message");
        assertTrue(thanks.get("ack_only").asBoolean());
        JsonNode real = Json.parse(server.post("alice", "@bob the parser fails on line 3").body()).get("message");
        assertFalse(real.has("ack_only"));
        JsonNode woke = Json.parse(poll.get().body());
        assertEquals(1, woke.get("messages").size());
        assertEquals(real.get("id").asLong(), woke.get("messages").get(0).get("id").asLong());
        JsonNode history = Json.parse(server.get("/messages?after=" + start).body()).get("messages");
        assertEquals(2, history.size());
        assertTrue(history.get(0).get("ack_only").asBoolean());
    }

    @Test
    void acknowledgementsAreKeptOncePerNameAndShownInHistoryAndOnTheStream() {
        long id = Json.parse(server.postJson("{\"agent\":\"lead\",\"text\":\"@dev1 @dev2 freeze main\",\"ack_requested\":true}")
            .body()).get("message").get("id").asLong();
        try (SseClient stream = SseClient.open(server.http(), server.uri("/messages/stream?events=coordination"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("connected"));
            HttpResponse<String> first = ack(id, "dev1");
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(List.of("dev1"), names(Json.parse(first.body()).get("acks")));
            ack(id, "DEV1");
            JsonNode second = Json.parse(ack(id, "dev2").body());
            assertEquals(List.of("dev1", "dev2"), names(second.get("acks")));
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().stream().filter(e -> e.name().equals("ack")).count() == 2);
            JsonNode event = Json.parse(stream.events().stream().filter(e -> e.name().equals("ack")).toList().get(1).data());
            assertEquals(id, event.get("id").asLong());
            assertEquals("dev2", event.get("agent").asText());
        }
        JsonNode message = Json.parse(server.get("/messages?after=" + (id - 1) + "&limit=1").body()).get("messages").get(0);
        assertTrue(message.get("ack_requested").asBoolean());
        assertEquals(List.of("dev1", "dev2"), names(message.get("acks")));
    }

    @Test
    void aResumedStreamReplaysMessagesWithTheirAcknowledgementsAsTheyAreNow() {
        long id = Json.parse(server.postJson("{\"agent\":\"lead\",\"text\":\"@bob ship it\",\"ack_requested\":true}")
            .body()).get("message").get("id").asLong();
        assertEquals(200, ack(id, "bob").statusCode());
        try (SseClient stream = SseClient.open(server.http(), server.uri("/messages/stream"),
            Map.of("X-Room-Password", TestServer.PASSWORD, "Last-Event-ID", Long.toString(id - 1)))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.messages().stream().anyMatch(e -> e.id().equals(Long.toString(id))));
            JsonNode replayed = Json.parse(stream.messages().stream().filter(e -> e.id().equals(Long.toString(id)))
                .findFirst().orElseThrow().data());
            assertEquals(List.of("bob"), names(replayed.get("acks")));
        }
    }

    @Test
    void aNamesTokenAcknowledgesWithNoBodyAndTheCallWithNeitherNameNorTokenIsRefused() {
        long id = Json.parse(server.postJson("{\"agent\":\"lead\",\"text\":\"@ivy ready?\",\"ack_requested\":true}")
            .body()).get("message").get("id").asLong();
        HttpResponse<String> joined = server.send(server.authed("/join").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"ivy\"}")).build());
        String token = Json.parse(joined.body()).get("token").asText();

        HttpResponse<String> acked = server.send(HttpRequest.newBuilder(server.uri("/messages/" + id + "/ack"))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> nobody = server.send(server.authed("/messages/" + id + "/ack")
            .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(200, acked.statusCode(), acked.body());
        assertEquals(List.of("ivy"), names(Json.parse(acked.body()).get("acks")));
        assertError(400, "invalid_agent", nobody);
        assertEquals(CoordinationOperations.NO_NAME, Json.parse(nobody.body()).get("error").asText());
    }

    @Test
    void oneFileNamedTwoWaysIsOneClaimAndADirectoryWithItsSlashHoldsWhatIsUnderIt() {
        // ./norm/util.js and norm//util.js were claimed by two agents beside norm/util.js
        HttpResponse<String> first = claim("{\"agent\":\"nia\",\"resource\":\"./norm/util.js\"}");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("norm/util.js", Json.parse(first.body()).get("resource").asText(), "kept as claims compare it");
        for (String other : List.of("norm/util.js", "norm//util.js", "./././norm/util.js")) {
            assertError(409, "claim_conflict", claim("{\"agent\":\"otto\",\"resource\":\"" + other + "\"}"));
        }
        HttpResponse<String> directory = claim("{\"agent\":\"nia\",\"resource\":\"norm/parser/\"}");
        assertEquals("norm/parser/**", Json.parse(directory.body()).get("resource").asText());
        assertError(409, "claim_conflict", claim("{\"agent\":\"otto\",\"resource\":\"norm/parser/Lexer.java\"}"));
        assertError(400, "invalid_field", claim("{\"agent\":\"otto\",\"resource\":\"  \"}"));
    }

    @Test
    void acknowledgingAnUnknownMessageIsNotFound() {
        HttpResponse<String> response = ack(lastId() + 100, "dev1");
        assertEquals(404, response.statusCode());
        assertEquals("message_not_found", Json.parse(response.body()).get("code").asText());
        assertEquals(400, ack(1, "").statusCode());
    }

    @Test
    void agentsShowHowFarTheyReadAndWhetherTheyWaitNow() throws Exception {
        long id = Json.parse(server.post("writer", "news for readers").body()).get("message").get("id").asLong();
        server.get("/messages/poll?after=0&agent=reader1");
        CompletableFuture<HttpResponse<String>> waiting = server.http().sendAsync(
            server.authed("/messages/poll?after=" + id + "&wait=30&agent=waiter").GET().build(),
            HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> agent("waiter") != null && agent("waiter").get("waiting").asBoolean());
        JsonNode reader = agent("reader1");
        assertTrue(reader.get("read_up_to").asLong() >= id);
        assertFalse(reader.get("waiting").asBoolean());
        server.post("writer", "wake up");
        waiting.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent("waiter").get("waiting").asBoolean());
        assertTrue(agent("waiter").get("read_up_to").asLong() > id);
    }

    @Test
    void aPollMovesTheReadReceiptOnlyToTheNewestMessageItGives() throws Exception {
        long history = Json.parse(server.post("writer", "history the newcomer has not read").body()).get("message").get("id").asLong();
        server.get("/messages/poll?after=" + history + "&wait=0.2&agent=newcomer");
        server.get("/messages/poll?after=" + history + "&agent=newcomer");
        JsonNode waited = agent("newcomer");
        assertFalse(waited.has("read_up_to") && !waited.get("read_up_to").isNull(),
            "a poll from the newest message gave nothing: " + waited);

        long mention = Json.parse(server.post("writer", "@newcomer please review the parser").body()).get("message").get("id").asLong();
        server.post("writer", "not for the newcomer");
        server.get("/messages/poll?after=" + history + "&for=newcomer&agent=newcomer");
        assertEquals(mention, agent("newcomer").get("read_up_to").asLong(), "what the filter left out was not given");
    }

    @Test
    void anOverlappingClaimOfAnotherAgentIsAConflictNamingTheHolder() {
        HttpResponse<String> taken = claim("{\"agent\":\"ann\",\"resource\":\"lib/parser/**\",\"ttl_seconds\":600,\"note\":\"refactor\"}");
        assertEquals(200, taken.statusCode(), taken.body());
        JsonNode claim = Json.parse(taken.body());
        assertEquals("ann", claim.get("agent").asText());
        HttpResponse<String> refused = claim("{\"agent\":\"ben\",\"resource\":\"lib/*/lexer.c\"}");
        assertEquals(409, refused.statusCode());
        JsonNode error = Json.parse(refused.body());
        assertEquals("claim_conflict", error.get("code").asText());
        assertTrue(error.get("error").asText().contains("ann"), error.get("error").asText());
        assertEquals(claim.get("id").asText(), error.get("claim").get("id").asText());
        assertEquals(claim.get("expires_at").asText(), error.get("claim").get("expires_at").asText());
        assertEquals(200, claim("{\"agent\":\"ben\",\"resource\":\"lib/lexer/**\"}").statusCode());
        HttpResponse<String> renewed = claim("{\"agent\":\"ann\",\"resource\":\"lib/parser/**\",\"ttl_seconds\":1200}");
        assertEquals(claim.get("id").asText(), Json.parse(renewed.body()).get("id").asText());
        assertTrue(Json.parse(renewed.body()).get("expires_at").asText().compareTo(claim.get("expires_at").asText()) > 0);
        HttpResponse<String> nobodys = server.send(server.authed("/claims/" + claim.get("id").asText()).DELETE().build());
        assertError(400, "invalid_parameter", nobodys);
        assertTrue(nobodys.body().contains("Missing required parameter 'agent'"), nobodys.body());
        assertTrue(nobodys.body().contains("send the name's token"), nobodys.body());
        HttpResponse<String> notHers = server.send(server.authed("/claims/" + claim.get("id").asText() + "?agent=ben").DELETE().build());
        assertEquals(403, notHers.statusCode());
        HttpResponse<String> released = server.send(server.authed("/claims/" + claim.get("id").asText() + "?agent=ann").DELETE().build());
        assertEquals(200, released.statusCode());
        assertEquals(404, server.send(server.authed("/claims/" + claim.get("id").asText() + "?agent=ann").DELETE().build()).statusCode());
        assertEquals(200, claim("{\"agent\":\"ben\",\"resource\":\"lib/parser/x.c\"}").statusCode());
    }

    @Test
    void aNamesTokenReleasesItsClaimWithoutSayingWhoAndAnotherNameIsRefusedSayingWhatToDo() {
        HttpResponse<String> joined = server.send(server.authed("/join").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"gus\"}")).build());
        assertEquals(200, joined.statusCode(), joined.body());
        String token = Json.parse(joined.body()).get("token").asText();
        HttpResponse<String> taken = server.send(HttpRequest.newBuilder(server.uri("/claims"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"resource\":\"gus/**\"}")).build());
        assertEquals(200, taken.statusCode(), taken.body());
        String id = Json.parse(taken.body()).get("id").asText();

        HttpResponse<String> asAnother = server.send(HttpRequest.newBuilder(server.uri("/claims/" + id + "?agent=hal"))
            .header("Authorization", "Bearer " + token).DELETE().build());
        assertError(400, "invalid_field", asAnother);
        assertTrue(asAnother.body().contains("This token holds the name 'gus': leave 'agent' out or give that name"),
            asAnother.body());
        HttpResponse<String> released = server.send(HttpRequest.newBuilder(server.uri("/claims/" + id))
            .header("Authorization", "Bearer " + token).DELETE().build());

        assertEquals(200, released.statusCode(), released.body());
        assertEquals("gus", Json.parse(released.body()).get("agent").asText());
        assertTrue(claims().stream().noneMatch(c -> c.get("id").asText().equals(id)));
    }

    @Test
    void badClaimsAreRefusedAndNothingIsTaken() {
        int before = claims().size();
        assertError(400, "invalid_glob", claim("{\"agent\":\"cat\",\"resource\":\"src/[ab].c\"}"));
        assertError(400, "invalid_field", claim("{\"agent\":\"cat\",\"resource\":\"\"}"));
        assertError(400, "invalid_field", claim("{\"agent\":\"cat\",\"resource\":\"a\",\"ttl_seconds\":0}"));
        // a refusal for a length names the limit
        HttpResponse<String> longResource = claim("{\"agent\":\"cat\",\"resource\":\"" + "a".repeat(257) + "\"}");
        assertError(400, "invalid_glob", longResource);
        assertEquals(256, Json.parse(longResource.body()).get("limit").asInt(), longResource.body());
        HttpResponse<String> longNote = claim("{\"agent\":\"cat\",\"resource\":\"a\",\"note\":\"" + "n".repeat(501) + "\"}");
        assertError(400, "invalid_field", longNote);
        assertEquals(500, Json.parse(longNote.body()).get("limit").asInt(), longNote.body());
        HttpResponse<String> nobody = claim("{\"resource\":\"a\"}");
        assertError(400, "invalid_agent", nobody);
        assertEquals(CoordinationOperations.NO_NAME, Json.parse(nobody.body()).get("error").asText());
        assertError(400, "invalid_agent", claim("{\"agent\":\" cat\",\"resource\":\"a\"}"));
        assertEquals(before, claims().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, claim("{\"agent\":\"dan\",\"resource\":\"dan/" + i + "\"}").statusCode());
        }
        assertError(429, "too_many_claims", claim("{\"agent\":\"dan\",\"resource\":\"dan/3\"}"));
    }

    @Test
    void claimsExpireByThemselvesAndTheStreamAnnouncesTakingAndReleasing() {
        try (SseClient stream = SseClient.open(server.http(), server.uri("/messages/stream?events=coordination"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("connected"));
            JsonNode claim = Json.parse(claim("{\"agent\":\"eve\",\"resource\":\"tmp/eve\",\"ttl_seconds\":1}").body());
            assertTrue(claims().stream().anyMatch(c -> c.get("id").asText().equals(claim.get("id").asText())));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                claims().stream().noneMatch(c -> c.get("id").asText().equals(claim.get("id").asText())));
            assertEquals(200, claim("{\"agent\":\"fay\",\"resource\":\"tmp/**\"}").statusCode());
            JsonNode fay = claims().stream().filter(c -> c.get("agent").asText().equals("fay")).findFirst().orElseThrow();
            server.send(server.authed("/claims/" + fay.get("id").asText() + "?agent=fay").DELETE().build());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().stream()
                .filter(e -> e.name().equals("claim")).map(e -> Json.parse(e.data()).get("action").asText()).toList()
                .equals(List.of("taken", "taken", "released")));
        }
    }

    private static void assertError(int status, String code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, Json.parse(response.body()).get("code").asText());
    }

    private static HttpResponse<String> ack(long id, String agent) {
        return server.send(server.authed("/messages/" + id + "/ack").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":" + TestServer.quote(agent) + "}")).build());
    }

    private static HttpResponse<String> claim(String body) {
        return server.send(server.authed("/claims").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static List<JsonNode> claims() {
        List<JsonNode> claims = new ArrayList<>();
        Json.parse(server.get("/claims").body()).get("claims").forEach(claims::add);
        return claims;
    }

    private static JsonNode agent(String name) {
        for (JsonNode agent : Json.parse(server.get("/agents").body()).get("agents")) {
            if (agent.get("name").asText().equals(name)) {
                return agent;
            }
        }
        return null;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static long lastId() {
        JsonNode messages = Json.parse(server.get("/messages").body()).get("messages");
        return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).get("id").asLong();
    }
}
