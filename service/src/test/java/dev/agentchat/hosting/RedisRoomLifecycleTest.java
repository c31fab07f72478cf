package dev.agentchat.hosting;

import dev.agentchat.redis.RedisServer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import dev.agentchat.limits.ConnectionSlots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rooms over Redis through their life: caps shared by instances, expiry, and Redis going away mid-test. */
class RedisRoomLifecycleTest {
    RedisServer redis;
    TestServer first;
    TestServer second;

    @AfterEach
    void stop() throws Exception {
        RedisServer.closeAll(first, second, redis);
    }

    @Test
    void redisStoppedMeansUnhealthyAnd503ThenRecoveryWithoutLosingAcknowledgedMessages() {
        redis = RedisServer.startOrSkip();
        first = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        second = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        Rooms a = new Rooms(first);
        Rooms b = new Rooms(second);
        assertEquals(201, a.create("sturdy", "pw").statusCode());
        assertEquals(200, a.post("sturdy", "pw", "alice", "acknowledged").statusCode());
        SseClient open = SseClient.open(second.http(), b.uri("sturdy", "/messages/stream"), Map.of("X-Room-Password", "pw"));
        await().atMost(5, SECONDS).until(() -> open.comments().contains("connected"));

        redis.stop();
        await().atMost(10, SECONDS).until(() -> health(first).statusCode() == 503);
        assertEquals("unavailable", Json.parse(health(first).body()).get("status").asText());
        HttpResponse<String> refused = a.post("sturdy", "pw", "alice", "not accepted");
        assertEquals(503, refused.statusCode());
        assertEquals("store_unavailable", Json.parse(refused.body()).get("code").asText());
        assertEquals(503, a.create("new-room", "pw").statusCode());
        HttpResponse<String> refusedAtRoot = first.post("alice", "not accepted either");
        assertEquals(503, refusedAtRoot.statusCode());
        assertEquals("store_unavailable", Json.parse(refusedAtRoot.body()).get("code").asText());
        await().atMost(10, SECONDS).until(open::ended);
        open.close();

        redis.start();
        await().atMost(15, SECONDS).until(() -> health(first).statusCode() == 200 && health(second).statusCode() == 200);
        try (SseClient resumed = SseClient.open(second.http(), b.uri("sturdy", "/messages/stream"),
            Map.of("X-Room-Password", "pw", "Last-Event-ID", "0"))) {
            await().atMost(5, SECONDS).until(() -> resumed.messages().size() == 1);
            await().atMost(10, SECONDS).until(() -> a.post("sturdy", "pw", "alice", "after").statusCode() == 200);
            await().atMost(5, SECONDS).until(() -> resumed.messages().size() == 2);
            assertEquals(List.of("1", "2"), resumed.messages().stream().map(SseClient.Event::id).toList());
        }
        await().atMost(10, SECONDS).until(() -> first.post("alice", "at the root").statusCode() == 200);
        JsonNode all = Json.parse(b.get("sturdy", "pw", "/messages").body()).get("messages");
        assertEquals(2, all.size());
        assertEquals("acknowledged", all.get(0).get("text").asText());
    }

    @Test
    void longPollsThatWaitAndStreamsThatResumeWhileRedisIsDownAreAnsweredUnavailableNotLeftHangingOrDropped() {
        redis = RedisServer.startOrSkip();
        first = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        Rooms a = new Rooms(first);
        assertEquals(201, a.create("polled", "pw").statusCode());
        assertEquals(200, a.post("polled", "pw", "alice", "before").statusCode());

        redis.stop();
        await().atMost(10, SECONDS).until(() -> health(first).statusCode() == 503);
        // several in a row, on new connections, so on every event loop; each asks to wait past the outage
        for (int i = 0; i < 6; i++) {
            java.net.URI poll = i % 2 == 0 ? a.uri("polled", "/messages/poll?after=0&wait=5")
                : first.uri("/messages/poll?after=0&wait=5");
            HttpResponse<String> answer = async(first, poll, "X-Room-Password", i % 2 == 0 ? "pw" : TestServer.PASSWORD, null)
                .orTimeout(20, SECONDS).join();
            assertEquals(503, answer.statusCode(), answer.body());
            assertEquals("store_unavailable", Json.parse(answer.body()).get("code").asText());
            assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), "a waiting poll is told when to try again");
        }
        // and a stream that resumes is refused the same way, not dropped unanswered
        for (java.net.URI stream : List.of(a.uri("polled", "/messages/stream"), first.uri("/messages/stream"))) {
            HttpResponse<String> answer = first.send(HttpRequest.newBuilder(stream).header("Last-Event-ID", "1")
                .header("X-Room-Password", stream.getPath().startsWith("/rooms/") ? "pw" : TestServer.PASSWORD).build());
            assertEquals(503, answer.statusCode(), answer.body());
            assertEquals("store_unavailable", Json.parse(answer.body()).get("code").asText());
        }
    }

    @Test
    void whileRedisStallsWhatNeedsItWaitsOffTheEventLoopsAndWhatDoesNotIsAnswered() {
        redis = RedisServer.startOrSkip();
        first = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        Rooms a = new Rooms(first);
        assertEquals(201, a.create("stalled", "pw").statusCode());
        String token = Json.parse(a.join("stalled", "pw", "holder").body()).get("token").asText();

        // eight seconds of a Redis that answers nobody (not even an unpause)
        assertEquals("+OK", redis.command("CLIENT PAUSE 8000 ALL"));
        // on new connections, so on every event loop: posts by password and by a name's token, a poll,
        // the agent list, a mute, rooms created
        List<CompletableFuture<HttpResponse<String>>> needRedis = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            needRedis.add(async(first, a.uri("stalled", "/messages"), "X-Room-Password", "pw", "by password " + i));
            needRedis.add(async(first, a.uri("stalled", "/messages"), "Authorization", "Bearer " + token, "by token " + i));
        }
        needRedis.add(async(first, a.uri("stalled", "/messages/poll?after=0"), "X-Room-Password", "pw", null));
        needRedis.add(async(first, a.uri("stalled", "/agents"), "X-Room-Password", "pw", null));
        needRedis.add(first.http().sendAsync(HttpRequest.newBuilder(a.uri("stalled", "/agents/someone/mute"))
            .header("Authorization", "Bearer " + first.live().hostKey()).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString()));
        for (int i = 0; i < 4; i++) {
            needRedis.add(first.http().sendAsync(HttpRequest.newBuilder(a.uri("stalled-new-" + i, ""))
                .header("Authorization", "Bearer " + first.live().hostKey()).header("X-Room-Password", "pw")
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        }
        // what needs no Redis (the web UI, a named room's guide) is answered meanwhile, on connections
        // spread over the same loops
        List<CompletableFuture<HttpResponse<String>>> pages = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            java.net.URI page = i % 2 == 0 ? first.uri("/") : a.uri("stalled", "/skill.md");
            pages.add(first.http().sendAsync(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> page : pages) {
            assertEquals(200, page.orTimeout(5, SECONDS).join().statusCode());
        }
        assertTrue(needRedis.stream().noneMatch(CompletableFuture::isDone), "Redis was paused: nothing needing it was answered");

        // a Redis that does not answer within its time is unavailable: said with a clear refusal
        for (CompletableFuture<HttpResponse<String>> request : needRedis) {
            HttpResponse<String> answer = request.orTimeout(30, SECONDS).join();
            assertEquals(503, answer.statusCode(), answer.body());
            assertEquals("store_unavailable", Json.parse(answer.body()).get("code").asText());
        }
    }

    private static CompletableFuture<HttpResponse<String>> async(TestServer server, java.net.URI uri, String header,
                                                                 String value, String text) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(40)).header(header, value);
        if (text != null) {
            request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":" + TestServer.quote(text) + "}"));
        }
        return server.http().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPollWaitingWhileRedisLosesItsDataGetsTheFirstMessageAfter() {
        redis = RedisServer.startOrSkip();
        first = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        second = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        long last = 0;
        for (int i = 0; i < 3; i++) {
            last = Json.parse(first.post("alice", "before " + i).body()).get("message").get("id").asLong();
        }
        String cursor = "/messages/poll?after=" + last + "&wait=20";
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() -> second.get(cursor));
        await().during(300, MILLISECONDS).atMost(5, SECONDS).until(() -> !poll.isDone());

        assertEquals("+OK", redis.command("FLUSHALL"));
        assertEquals(1, Json.parse(first.post("alice", "after the loss").body()).get("message").get("id").asLong());
        JsonNode answer = Json.parse(poll.orTimeout(10, SECONDS).join().body());
        assertEquals("after the loss", answer.get("messages").get(0).get("text").asText());
        assertEquals(1, answer.get("next").asLong());
    }

    @Test
    void idleRoomExpiresInRedisWithAllItsKeys() {
        redis = RedisServer.startOrSkip();
        Map<String, Object> config = Map.of("agent-chat.redis-url", redis.url(), "agent-chat.rooms.ttl", "3s",
            "agent-chat.rooms.sweep", "200ms", "agent-chat.limits.password-failure-burst", 10_000);
        first = TestServer.start(config);
        second = TestServer.start(config);
        Rooms a = new Rooms(first);
        Rooms b = new Rooms(second);
        assertEquals(201, a.create("fleeting", "pw").statusCode());
        a.post("fleeting", "pw", "alice", "soon gone");
        assertEquals(":1", redis.command("EXISTS agent-chat:room:fleeting:log"));
        long rootId = Json.parse(first.post("alice", "at the root").body()).get("message").get("id").asLong();
        try (SseClient open = SseClient.open(second.http(), b.uri("fleeting", "/messages/stream"), Map.of("X-Room-Password", "pw"))) {
            await().atMost(5, SECONDS).until(() -> open.comments().contains("connected"));
            // a stream on the second instance is activity for both: two TTLs without a request, and the room lives
            // (a wrong password is not activity; while the room lives it answers 401, then 404)
            await().during(6, SECONDS).atMost(8, SECONDS).until(() -> a.get("fleeting", "wrong", "/messages").statusCode() == 401);
        }
        await().atMost(15, SECONDS).until(() -> b.get("fleeting", "wrong", "/messages").statusCode() == 404);
        assertEquals(":0", redis.command("EXISTS agent-chat:room:fleeting agent-chat:room:fleeting:seq agent-chat:room:fleeting:log"));
        assertEquals(201, b.create("fleeting", "other").statusCode());
        assertEquals(1, Json.parse(b.post("fleeting", "other", "bob", "fresh").body()).get("message").get("id").asLong());
        assertEquals(404, a.get("gone-too", "pw", "/messages").statusCode());
        // the server's own room lives while its instances run: its ids go on
        assertEquals(rootId + 1, Json.parse(second.post("bob", "still here").body()).get("message").get("id").asLong());
    }

    @Test
    void aRoomTheHostEndsIsGoneFromEveryInstanceWithAllItsKeys() {
        startTwoInstancesWithoutSweep();
        Rooms a = new Rooms(first);
        Rooms b = new Rooms(second);
        assertEquals(201, a.create("short-lived", "pw").statusCode());
        a.post("short-lived", "pw", "alice", "soon gone");
        assertTrue(b.list().body().contains("\"short-lived\""), "every instance lists the shared rooms");
        try (SseClient elsewhere = SseClient.open(second.http(), b.uri("short-lived", "/messages/stream"),
            Map.of("X-Room-Password", "pw"))) {
            await().atMost(5, SECONDS).until(() -> elsewhere.comments().contains("connected"));
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> b.get("short-lived", "pw", "/messages/poll?after=1&wait=50"));
            await().atMost(5, SECONDS).until(() -> second.context().getBean(ConnectionSlots.class).waitingPolls() == 1);
            assertEquals(204, a.end("short-lived").statusCode());
            await().atMost(5, SECONDS).until(elsewhere::ended);
            HttpResponse<String> answered = waiting.orTimeout(5, SECONDS).join();
            assertEquals(404, answered.statusCode());
            assertEquals("room_not_found", Json.parse(answered.body()).get("code").asText());
        }
        assertEquals(404, b.get("short-lived", "pw", "/messages").statusCode());
        assertEquals(":0", redis.command("EXISTS agent-chat:room:short-lived agent-chat:room:short-lived:seq "
            + "agent-chat:room:short-lived:log agent-chat:room:short-lived:cursors"));
        assertEquals(":0", redis.command("ZCARD agent-chat:rooms"));
        assertTrue(b.list().body().contains("\"rooms\":[]"), b.list().body());
        assertEquals(201, b.create("short-lived", "other").statusCode());
        assertEquals(1, Json.parse(b.post("short-lived", "other", "bob", "fresh").body()).get("message").get("id").asLong());
    }

    @Test
    void aRoomCreatedAgainAfterItsEndShowsNobodyFromTheEndedOneOnAnyInstance() {
        startTwoInstancesWithoutSweep();
        Rooms a = new Rooms(first);
        Rooms b = new Rooms(second);
        assertEquals(201, a.create("again", "pw").statusCode());
        assertEquals(200, a.post("again", "pw", "old-poster", "before the end").statusCode());
        try (SseClient listening = SseClient.open(second.http(), b.uri("again", "/messages/stream?agent=old-listener&events=end"),
            Map.of("X-Room-Password", "pw"))) {
            await().atMost(5, SECONDS).until(() -> a.get("again", "pw", "/agents").body().contains("\"old-listener\""));

            assertEquals(204, a.end("again").statusCode());
            await().atMost(5, SECONDS).until(listening::ended);
            // ended on the other instance, and told so
            assertEquals("end", listening.events().get(listening.events().size() - 1).name());
            assertTrue(listening.events().get(listening.events().size() - 1).data().contains("\"code\":\"room_not_found\""));
        }
        assertEquals(201, a.create("again", "new-pw").statusCode());

        // the ended room's streams closing on either instance must not bring its people back
        await().during(2, SECONDS).atMost(6, SECONDS).until(() ->
            Json.parse(a.get("again", "new-pw", "/agents").body()).get("agents").isEmpty()
                && Json.parse(b.get("again", "new-pw", "/agents").body()).get("agents").isEmpty());
    }

    /** Redis and two instances on it, with no sweep in the test's time: an instance hears of a room's end at once. */
    private void startTwoInstancesWithoutSweep() {
        redis = RedisServer.startOrSkip();
        Map<String, Object> config = Map.of("agent-chat.redis-url", redis.url(), "agent-chat.rooms.sweep", "10m");
        first = TestServer.start(config);
        second = TestServer.start(config);
    }

    @Test
    void aRoomWhoseOnlyClientLongPollsAsLongAsItsTtlLivesOnInRedis() {
        redis = RedisServer.startOrSkip();
        first = TestServer.start(Map.of("agent-chat.redis-url", redis.url(), "agent-chat.rooms.ttl", "2s",
            "agent-chat.max-wait", "2s", "agent-chat.rooms.sweep", "200ms"));
        Rooms a = new Rooms(first);
        assertEquals(201, a.create("polled", "pw").statusCode());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> poll = a.get("polled", "pw", "/messages/poll?after=0&wait=2");
            assertEquals(200, poll.statusCode(), "poll " + i + ": " + poll.body());
        }
        await().atMost(10, SECONDS).until(() -> a.get("polled", "wrong", "/messages").statusCode() == 404);
    }

    @Test
    void instanceStartedWhileRedisIsDownServesOnceRedisIsUp() {
        redis = RedisServer.startOrSkip();
        redis.stop();
        first = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        Rooms a = new Rooms(first);
        assertEquals(503, health(first).statusCode());
        HttpResponse<String> refused = a.create("late", "pw");
        assertEquals(503, refused.statusCode());
        assertEquals("store_unavailable", Json.parse(refused.body()).get("code").asText());

        redis.start();
        await().atMost(15, SECONDS).until(() -> health(first).statusCode() == 200);
        assertEquals(201, a.create("late", "pw").statusCode());
        assertEquals(1, Json.parse(a.post("late", "pw", "x", "hello").body()).get("message").get("id").asLong());
    }

    @Test
    void capsAreCountedAcrossInstances() {
        redis = RedisServer.startOrSkip();
        Map<String, Object> config = Map.of("agent-chat.redis-url", redis.url(), "agent-chat.rooms.max-rooms", 3,
            "agent-chat.rooms.max-per-address", 2);
        first = TestServer.start(config);
        second = TestServer.start(config);
        Rooms a = new Rooms(first);
        Rooms b = new Rooms(second);
        assertEquals(201, a.create("cap-one", "pw").statusCode());
        HttpResponse<String> fromSameAddress = b.create("cap-two", "pw");
        assertEquals(201, fromSameAddress.statusCode());
        HttpResponse<String> third = a.create("cap-three", "pw");
        assertEquals(429, third.statusCode());
        assertEquals("too_many_rooms_from_address", Json.parse(third.body()).get("code").asText());
        redis.command("DEL agent-chat:creator:127.0.0.1");
        assertEquals(201, b.create("cap-three", "pw").statusCode());
        redis.command("DEL agent-chat:creator:127.0.0.1");
        HttpResponse<String> full = a.create("cap-four", "pw");
        assertEquals(429, full.statusCode());
        assertEquals("too_many_rooms", Json.parse(full.body()).get("code").asText());
    }

    private static HttpResponse<String> health(TestServer server) {
        return server.send(HttpRequest.newBuilder(server.uri("/health")).GET().build());
    }
}
