package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagesApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void postedMessageGetsTheNextIdAndAnUtcTimestamp() {
        long before = lastId();
        JsonNode result = Json.parse(server.post("planner", "hello room").body());
        assertTrue(result.get("ok").asBoolean());
        JsonNode message = result.get("message");
        assertEquals(before + 1, message.get("id").asLong());
        assertEquals("planner", message.get("agent").asText());
        assertEquals("hello room", message.get("text").asText());
        String timestamp = message.get("timestamp").asText();
        assertTrue(timestamp.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"), timestamp);
        OffsetDateTime.parse(timestamp);
    }

    @Test
    void missingAgentIsAnonymous() {
        JsonNode message = Json.parse(server.postJson("{\"text\":\"who am I\"}").body()).get("message");
        assertEquals("anonymous", message.get("agent").asText());
    }

    @Test
    void listReturnsMessagesOldestFirstWithPaging() {
        long start = lastId();
        server.post("a", "one");
        server.post("a", "two");
        server.post("a", "three");
        JsonNode all = Json.parse(server.get("/messages").body()).get("messages");
        assertTrue(all.size() >= 3);
        for (int i = 1; i < all.size(); i++) {
            assertEquals(all.get(i - 1).get("id").asLong() + 1, all.get(i).get("id").asLong());
        }
        JsonNode page = Json.parse(server.get("/messages?after=" + start + "&limit=2").body()).get("messages");
        assertEquals(2, page.size());
        assertEquals("one", page.get(0).get("text").asText());
        assertEquals("two", page.get(1).get("text").asText());
    }

    @Test
    void pollWithoutWaitAnswersAtOnce() {
        long last = lastId();
        JsonNode poll = Json.parse(server.get("/messages/poll?after=" + last).body());
        assertEquals(0, poll.get("messages").size());
        assertEquals(last, poll.get("next").asLong());
    }

    @Test
    void pollReturnsNewerMessagesAndTheNextCursor() {
        long last = lastId();
        server.post("a", "newer");
        JsonNode poll = Json.parse(server.get("/messages/poll?after=" + last).body());
        assertEquals(1, poll.get("messages").size());
        assertEquals("newer", poll.get("messages").get(0).get("text").asText());
        assertEquals(last + 1, poll.get("next").asLong());
    }

    @Test
    void longPollWakesWhenAMessageIsPosted() throws Exception {
        long last = lastId();
        var pending = server.http().sendAsync(server.authed("/messages/poll?after=" + last + "&wait=20").GET().build(),
            HttpResponse.BodyHandlers.ofString());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !pending.isDone());
        long posted = System.nanoTime();
        server.post("waker", "wake up");
        JsonNode poll = Json.parse(pending.get().body());
        long tookMillis = (System.nanoTime() - posted) / 1_000_000;
        assertEquals("wake up", poll.get("messages").get(0).get("text").asText());
        assertTrue(tookMillis < 5_000, "woke after " + tookMillis + " ms, long before the 20 s wait");
    }

    @Test
    void longPollTimesOutEmptyWhenNothingComes() {
        long last = lastId();
        long started = System.nanoTime();
        JsonNode poll = Json.parse(server.get("/messages/poll?after=" + last + "&wait=0.5").body());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, poll.get("messages").size());
        assertEquals(last, poll.get("next").asLong());
        assertTrue(tookMillis >= 400, "held for " + tookMillis + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"600", "1e999", "Infinity"})
    void aWaitLongerThanTheServersLongestIsHeldForTheLongest(String wait) {
        try (TestServer brief = TestServer.start(Map.of("agent-chat.max-wait", "300ms"))) {
            long started = System.nanoTime();
            HttpResponse<String> response = brief.get("/messages/poll?after=0&wait=" + wait);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(0, Json.parse(response.body()).get("messages").size());
            assertTrue(tookMillis >= 250 && tookMillis < 5_000, "held for " + tookMillis + " ms");
        }
    }

    @Test
    void staleCursorFromBeforeARestartGetsEverythingRetained() {
        server.post("a", "something");
        JsonNode poll = Json.parse(server.get("/messages/poll?after=999999").body());
        assertEquals(lastId(), poll.get("next").asLong());
        assertEquals(1, poll.get("messages").get(0).get("id").asLong());
    }

    @Test
    void mentionsAndRecipientsAreRecorded() {
        JsonNode message = Json.parse(server.postJson(
            "{\"agent\":\"a\",\"text\":\"@bob please ask carol@example.com\",\"to\":[\"dave\"],\"reply_to\":1}").body())
            .get("message");
        assertEquals("bob", message.get("mentions").get(0).asText());
        assertEquals(1, message.get("mentions").size());
        assertEquals("dave", message.get("to").get(0).asText());
        assertEquals(1, message.get("reply_to").asLong());
    }

    @Test
    void pollForANameReturnsOnlyMessagesThatConcernIt() {
        long last = lastId();
        server.post("a", "unrelated");
        server.post("a", "hey @Zed look");
        JsonNode poll = Json.parse(server.get("/messages/poll?after=" + last + "&for=zed").body());
        assertEquals(1, poll.get("messages").size());
        assertEquals("hey @Zed look", poll.get("messages").get(0).get("text").asText());
        assertEquals(last + 2, poll.get("next").asLong());
    }

    @Test
    void jsonLabelledAsAFormIsAcceptedLikeTheOriginalDid() {
        HttpResponse<String> response = server.send(server.authed("/messages")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"curl\",\"text\":\"via curl -d\"}")).build());
        assertEquals(200, response.statusCode());
        assertEquals("via curl -d", Json.parse(response.body()).get("message").get("text").asText());
    }

    @Test
    void passwordInTheQueryIsAccepted() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(
            server.uri("/messages?password=" + TestServer.PASSWORD)).GET().build());
        assertEquals(200, response.statusCode());
        assertFalse(Json.parse(response.body()).get("messages").isMissingNode());
    }

    private static long lastId() {
        JsonNode messages = Json.parse(server.get("/messages").body()).get("messages");
        return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).get("id").asLong();
    }
}
