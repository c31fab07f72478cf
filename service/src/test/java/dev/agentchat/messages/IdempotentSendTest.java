package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A message sent again with the sender's {@code idempotency_key}, after its answer was lost, is stored once. */
class IdempotentSendTest {
    private TestServer server;
    private TestServer other;
    private RedisServer redis;

    @AfterEach
    void stop() throws Exception {
        RedisServer.closeAll(server, other, redis);
    }

    private static HttpResponse<String> send(TestServer to, String agent, String text, String key) {
        return to.postJson("{\"agent\":" + TestServer.quote(agent) + ",\"text\":" + TestServer.quote(text)
            + ",\"idempotency_key\":" + TestServer.quote(key) + "}");
    }

    private static long id(HttpResponse<String> sent) {
        assertEquals(200, sent.statusCode(), sent.body());
        return Json.parse(sent.body()).get("message").get("id").asLong();
    }

    private static int stored(TestServer in, String text) {
        int count = 0;
        for (JsonNode message : Json.parse(in.get("/messages").body()).get("messages")) {
            count += message.get("text").asText().equals(text) ? 1 : 0;
        }
        return count;
    }

    @Test
    void aMessageSentAgainWithItsKeyIsAnsweredWithTheFirstAndStoredOnce() {
        server = TestServer.start();
        long first = id(send(server, "coder", "deploy at 16:00", "k-1"));
        id(server.post("planner", "in between"));

        HttpResponse<String> again = send(server, "Coder", "deploy at 16:00", "k-1");
        assertEquals(first, id(again), "the same name in any case, the same key: the first message");
        assertEquals(1, stored(server, "deploy at 16:00"));
        assertTrue(!again.body().contains("k-1"), "the key is the sender's own: " + again.body());
        assertTrue(!server.get("/messages").body().contains("k-1"), "never shown to others");
    }

    @Test
    void theSameKeyFromAnotherNameIsAnotherMessage() {
        server = TestServer.start();
        long coders = id(send(server, "coder", "done", "same-key"));
        long planners = id(send(server, "planner", "done", "same-key"));
        assertNotEquals(coders, planners);
        assertEquals(2, stored(server, "done"));
    }

    @Test
    void theSameKeyWithAnotherTextIsRefusedAndNothingIsStored() {
        server = TestServer.start();
        id(send(server, "coder", "first text", "k-2"));
        HttpResponse<String> reused = send(server, "coder", "second text", "k-2");
        assertEquals(409, reused.statusCode(), reused.body());
        assertEquals("idempotency_key_reused", Json.parse(reused.body()).get("code").asText());
        assertEquals(0, stored(server, "second text"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "\u00e9t\u00e9",
        "12345678901234567890123456789012345678901234567890123456789012345"})
    void aKeyThatIsNotOneToSixtyFourVisibleAsciiCharactersIsRefused(String key) {
        server = TestServer.start();
        HttpResponse<String> refused = send(server, "coder", "hello", key);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"code\":\"invalid_field\"") && refused.body().contains("idempotency_key"),
            refused.body());
        assertEquals(0, stored(server, "hello"));
    }

    @Test
    void overRedisAMessageSentAgainThroughAnotherInstanceIsStoredOnce() {
        redis = RedisServer.startOrSkip();
        server = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        other = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        long first = id(send(server, "coder", "shared deploy", "k-3"));

        assertEquals(first, id(send(other, "coder", "shared deploy", "k-3")));
        assertEquals(1, stored(other, "shared deploy"));
        HttpResponse<String> reused = send(other, "coder", "other text", "k-3");
        assertEquals(409, reused.statusCode(), reused.body());
        assertNotEquals(first, id(send(other, "coder", "shared deploy", "k-4")), "a new key is a new message");
    }
}
