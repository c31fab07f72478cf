package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.hosting.RoomName;
import dev.agentchat.hosting.RoomRegistry;
import dev.agentchat.redis.RedisKeys;
import dev.agentchat.redis.TwoInstances;
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
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two instances on one real Redis keep one set of read cursors and read receipts per room, within one cap. */
class RedisReadCursorsTest {
    private static final int CURSORS_PER_ROOM = 5;
    private static final String ROOM = "~server";
    static TwoInstances instances;
    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start() {
        instances = TwoInstances.start(Map.of("agent-chat.limits.cursors-per-room", CURSORS_PER_ROOM));
        first = instances.first();
        second = instances.second();
    }

    @AfterAll
    static void stop() throws Exception {
        instances.close();
    }

    @Test
    void aCursorSetOnOneInstanceIsTheCursorOnTheOther() {
        long id = id(first.post("writer", "for carol"));
        assertEquals(200, put(first, "carol", "", id).statusCode());
        assertEquals(200, put(first, "carol", "?mentions_only=true", id - 1).statusCode());

        assertEquals(id, after(second.get("/agents/Carol/cursor")));
        assertEquals(id - 1, after(second.get("/agents/carol/cursor?mentions_only=true")));
        assertEquals(200, put(second, "carol", "", id - 1).statusCode());
        assertEquals(id - 1, after(first.get("/agents/carol/cursor")));
        assertTrue(Long.parseLong(instances.redis().command("PTTL " + RedisKeys.cursors(ROOM)).substring(1)) > 0);
    }

    @Test
    void aReadReceiptMadeOnOneInstanceShowsInTheOthersAgentList() {
        long id = id(first.post("writer", "news for the reader"));
        assertEquals(200, first.get("/messages/poll?after=0&agent=reader").statusCode());
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            JsonNode reader = agent(second, "reader");
            return reader != null && reader.has("read_up_to") && reader.get("read_up_to").asLong() >= id;
        });
        // a receipt only grows: an older read elsewhere does not move it back
        assertEquals(200, second.get("/messages/poll?after=0&agent=reader").statusCode());
        assertTrue(agent(first, "reader").get("read_up_to").asLong() >= id);
        assertTrue(Long.parseLong(instances.redis().command("PTTL " + RedisKeys.receipts(ROOM)).substring(1)) > 0);
    }

    @Test
    void aReadReceiptWhileRedisStallsNeitherWaitsNorFailsAndLandsOnceRedisAnswers() {
        long before = id(first.post("writer", "for the patient reader"));
        long id = id(first.post("writer", "more for the patient reader"));
        ReadCursors cursors = first.context().getBean(RoomRegistry.class).openTrusted(RoomName.SERVER).cursors();
        cursors.seen("patient", before, 100);
        await().atMost(Duration.ofSeconds(15)).until(() -> readUpTo(cursors, "patient") == before);

        // a stream tells its receipts from its connection's event loop: a stalled Redis must not hold it
        assertEquals("+OK", instances.redis().command("CLIENT PAUSE 3000 ALL"));
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> cursors.seen("patient", id, 100));

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> readUpTo(cursors, "patient") == id);
    }

    private static long readUpTo(ReadCursors cursors, String agent) {
        return cursors.readUpTo(List.of(agent)).getOrDefault(agent, 0L);
    }

    @Test
    void theCapOnCursorsHoldsAcrossInstancesUnderConcurrentFirstReads() {
        HttpResponse<String> created = first.send(first.authed("/rooms/capped")
            .header("Authorization", "Bearer " + first.live().hostKey()).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        String base = "/rooms/capped";
        for (String text : List.of("one", "two")) { // cursors go as far as the room's newest message
            assertEquals(200, first.send(first.authed(base + "/messages").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"poster\",\"text\":\"" + text + "\"}")).build())
                .statusCode());
        }
        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 4 * CURSORS_PER_ROOM; i++) {
            TestServer via = i % 2 == 0 ? first : second;
            racing.add(via.http().sendAsync(cursorPut(via, base, "racer" + i, 1), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = racing.stream().map(CompletableFuture::join).toList();
        assertTrue(answers.stream().allMatch(a -> a.statusCode() == 200 || a.statusCode() == 429), answers.toString());
        // each kind of cursor counts: the room keeps at most twice the cap of them, never more
        assertEquals(2 * CURSORS_PER_ROOM, answers.stream().filter(a -> a.statusCode() == 200).count());
        assertEquals(":" + 2 * CURSORS_PER_ROOM, instances.redis().command("HLEN " + RedisKeys.cursors("capped")));
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow();
        assertEquals("too_many_cursors", Json.parse(refused.body()).get("code").asText());

        assertEquals(429, first.send(cursorPut(first, base, "late-one", 1)).statusCode());
        assertEquals(429, second.send(cursorPut(second, base, "late-two", 1)).statusCode());
        int holder = answers.indexOf(answers.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow());
        assertEquals(200, second.send(cursorPut(second, base, "racer" + holder, 2)).statusCode(),
            "an agent with a cursor may still move it");
    }

    private static HttpRequest cursorPut(TestServer server, String base, String agentAndQuery, long after) {
        return server.authed(base + "/agents/" + agentAndQuery.replaceFirst("^([^?]*)", "$1/cursor")).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"after\":" + after + "}")).build();
    }

    private static HttpResponse<String> put(TestServer server, String agent, String query, long after) {
        return server.send(cursorPut(server, "", agent + query, after));
    }

    private static long after(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body()).get("after").asLong();
    }

    private static long id(HttpResponse<String> sent) {
        assertEquals(200, sent.statusCode(), sent.body());
        return Json.parse(sent.body()).get("message").get("id").asLong();
    }

    private static JsonNode agent(TestServer server, String name) {
        for (JsonNode agent : Json.parse(server.get("/agents").body()).get("agents")) {
            if (agent.get("name").asText().equals(name)) {
                return agent;
            }
        }
        return null;
    }
}
