package dev.agentchat.hosting;

import dev.agentchat.redis.RedisServer;
import dev.agentchat.redis.TwoInstances;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import dev.agentchat.redis.RedisKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two instances on one real Redis serve the same rooms. */
class RedisScaleOutTest {
    /**
     * Seconds a new stream may take to say it is connected. Redis rooms are opened on the shared
     * bounded-elastic scheduler, which the test classes before this one (Redis stopped under running
     * servers) can keep busy for a few seconds in the same JVM.
     */
    private static final long CONNECT = 20;
    static TwoInstances instances;
    static TestServer first;
    static TestServer second;
    static Rooms a;
    static Rooms b;

    @BeforeAll
    static void start() {
        instances = TwoInstances.start(Map.of("agent-chat.max-history", 5, "agent-chat.rooms.max-per-address", 100));
        first = instances.first();
        second = instances.second();
        a = new Rooms(first);
        b = new Rooms(second);
    }

    @AfterAll
    static void stop() throws Exception {
        instances.close();
    }

    @Test
    void roomCreatedOnOneInstanceIsConfirmedOnTheOtherWithItsPassword() {
        assertEquals(201, a.create("shared", "pw").statusCode());
        assertEquals(200, b.create("shared", "pw").statusCode());
        assertEquals(401, b.create("shared", "nope").statusCode());
        assertEquals(401, b.get("shared", "nope", "/messages").statusCode());
    }

    @Test
    void aRoomHasOneIdentityOnEveryInstance() {
        assertEquals(201, a.create("identity", "pw").statusCode());
        String id = Json.parse(a.get("identity", "pw", "/room").body()).get("id").asText();
        assertEquals(id, Json.parse(b.get("identity", "pw", "/room").body()).get("id").asText());
        assertEquals(id, Json.parse(b.join("identity", "pw", "on-b").body()).get("room_id").asText());
        String server = Json.parse(first.get("/room").body()).get("id").asText();
        assertEquals(server, Json.parse(second.get("/room").body()).get("id").asText());
        assertFalse(server.equals(id), "the server's room and a named room are two rooms");
    }

    @Test
    void passwordIsStoredOnlyAsASaltedSlowHash() {
        a.create("hashed", "plain-text-pw");
        String stored = instances.redis().command("HGET agent-chat:room:hashed password");
        assertFalse(stored.contains("plain-text-pw"), stored);
        assertTrue(stored.matches("pbkdf2-sha256\\$\\d{5,}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), stored);
        a.create("hashed-too", "plain-text-pw");
        assertFalse(stored.equals(instances.redis().command("HGET agent-chat:room:hashed-too password")), "salted: same password, other hash");
    }

    @Test
    void idsAreOneSequencePerRoomAcrossInstances() {
        a.create("ids", "pw");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Rooms via = i % 2 == 0 ? a : b;
            ids.add(Json.parse(via.post("ids", "pw", "agent", "m" + i).body()).get("message").get("id").asLong());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), ids);
        JsonNode seenByB = Json.parse(b.get("ids", "pw", "/messages").body()).get("messages");
        assertEquals(4, seenByB.size());
        assertEquals("m0", seenByB.get(0).get("text").asText());
    }

    @Test
    void concurrentPostsOnBothInstancesGetDistinctContiguousIds() {
        a.create("race", "pw");
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Rooms via = i % 2 == 0 ? a : b;
            int n = i;
            posts.add(CompletableFuture.supplyAsync(() -> via.post("race", "pw", "agent", "m" + n)));
        }
        long sum = 0;
        for (CompletableFuture<HttpResponse<String>> post : posts) {
            sum += Json.parse(post.join().body()).get("message").get("id").asLong();
        }
        assertEquals(20 * 21 / 2, sum);
    }

    @Test
    void messagePostedOnOneInstanceReachesStreamsOnTheOther() {
        a.create("fanout", "pw");
        try (SseClient onB = stream(second, "fanout", Map.of());
             SseClient onA = stream(first, "fanout", Map.of())) {
            await().atMost(CONNECT, SECONDS).until(() -> onB.comments().contains("connected") && onA.comments().contains("connected"));
            a.post("fanout", "pw", "alice", "hello from a");
            b.post("fanout", "pw", "bob", "hello from b");
            await().atMost(5, SECONDS).until(() -> onB.messages().size() == 2 && onA.messages().size() == 2);
            assertEquals(List.of("1", "2"), onB.messages().stream().map(SseClient.Event::id).toList());
            assertTrue(onB.messages().get(0).data().contains("hello from a"));
            assertEquals(onA.messages(), onB.messages());
        }
    }

    @Test
    void aMessageIsEncodedOnceItsIdIsKnownWhateverItsText() {
        a.create("encoded", "pw");
        String text = "quoting {\"id\":0} and \"id\":0,";
        try (SseClient live = stream(second, "encoded", Map.of())) {
            await().atMost(CONNECT, SECONDS).until(() -> live.comments().contains("connected"));
            a.post("encoded", "pw", "alice", text);
            await().atMost(5, SECONDS).until(() -> live.messages().size() == 1);
            String data = live.messages().get(0).data();
            assertTrue(data.startsWith("{\"id\":1,\"agent\":\"alice\",\"text\":"), data);
            assertEquals(text, Json.parse(data).get("text").asText());
            try (SseClient replay = stream(first, "encoded", Map.of("Last-Event-ID", "0"))) {
                await().atMost(5, SECONDS).until(() -> replay.messages().size() == 1);
                assertEquals(data, replay.messages().get(0).data(), "replayed from the stream as published");
            }
        }
    }

    @Test
    void streamResumesWithLastEventIdOnAnotherInstance() {
        a.create("resume", "pw");
        for (int i = 1; i <= 3; i++) {
            a.post("resume", "pw", "alice", "m" + i);
        }
        try (SseClient onB = stream(second, "resume", Map.of("Last-Event-ID", "1"))) {
            await().atMost(5, SECONDS).until(() -> onB.messages().size() == 2);
            a.post("resume", "pw", "alice", "m4");
            await().atMost(5, SECONDS).until(() -> onB.messages().size() == 3);
            assertEquals(List.of("2", "3", "4"), onB.messages().stream().map(SseClient.Event::id).toList());
        }
    }

    @Test
    void longPollOnOneInstanceIsWokenByAPostOnTheOther() {
        a.create("longpoll", "pw");
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(
            () -> b.get("longpoll", "pw", "/messages/poll?after=0&wait=20"));
        await().during(300, java.util.concurrent.TimeUnit.MILLISECONDS).atMost(5, SECONDS).until(() -> !poll.isDone());
        a.post("longpoll", "pw", "alice", "wake up");
        JsonNode result = Json.parse(poll.join().body());
        assertEquals(1, result.get("messages").size());
        assertEquals(1, result.get("next").asLong());
    }

    @Test
    void longPollsOnARedisRoomWaitOnThreadsOfTheirOwn() throws Exception {
        a.create("own-threads", "pw");
        // Netty's one shared thread, busy with something else for as long as the test runs
        CountDownLatch release = new CountDownLatch(1);
        GlobalEventExecutor.INSTANCE.execute(() -> {
            try {
                release.await(30, SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                polls.add(CompletableFuture.supplyAsync(() -> b.get("own-threads", "pw", "/messages/poll?after=0&wait=20"),
                    clients));
            }
            await().during(300, java.util.concurrent.TimeUnit.MILLISECONDS).atMost(5, SECONDS)
                .until(() -> polls.stream().noneMatch(CompletableFuture::isDone));
            a.post("own-threads", "pw", "alice", "wake up");
            await().atMost(10, SECONDS).until(() -> polls.stream().allMatch(CompletableFuture::isDone));
            for (CompletableFuture<HttpResponse<String>> poll : polls) {
                JsonNode result = Json.parse(poll.join().body());
                assertEquals("wake up", result.get("messages").get(0).get("text").asText());
            }
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    void pollsThatOneMessageWakesReadTheRoomOnceBetweenThem() {
        a.create("one-read", "pw");
        long last = Json.parse(a.post("one-read", "pw", "alice", "before").body()).get("message").get("id").asLong();
        RedisServer redis = instances.redis();
        long start = redis.calls("XRANGE");
        ExecutorService clients = Executors.newFixedThreadPool(30);
        try {
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                polls.add(CompletableFuture.supplyAsync(
                    () -> b.get("one-read", "pw", "/messages/poll?after=" + last + "&wait=20"), clients));
            }
            // each poll read the room once when it came in, and waits
            await().atMost(10, SECONDS).until(() -> redis.calls("XRANGE") - start >= 30);
            long parked = redis.calls("XRANGE");
            a.post("one-read", "pw", "alice", "wake up");
            await().atMost(10, SECONDS).until(() -> polls.stream().allMatch(CompletableFuture::isDone));
            for (CompletableFuture<HttpResponse<String>> poll : polls) {
                assertEquals("wake up", Json.parse(poll.join().body()).get("messages").get(0).get("text").asText());
            }
            assertEquals(1, redis.calls("XRANGE") - parked);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void theAgentListReadsRedisAsOftenForTwentyAgentsAsForTwo() {
        a.create("roll-call", "pw");
        addAgents("roll-call", 0, 1);
        long few = readsOfOneAgentList("roll-call");
        addAgents("roll-call", 1, 10);
        assertEquals(200, a.mute("roll-call", "held-2").statusCode());
        assertEquals(200, a.mute("roll-call", "poster-3").statusCode());
        JsonNode agents = Json.parse(b.get("roll-call", "pw", "/agents").body()).get("agents");
        assertEquals(20, agents.size(), agents.toString());
        // each poster has a read receipt, each held name is marked, and the muted ones are, held or not
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        agents.forEach(agent -> byName.put(agent.get("name").asText(), agent));
        for (int i = 0; i < 10; i++) {
            assertTrue(byName.get("poster-" + i).get("read_up_to").asLong() > 0, agents.toString());
            assertTrue(byName.get("held-" + i).get("verified").asBoolean(), agents.toString());
        }
        assertEquals(List.of("held-2", "poster-3"), byName.values().stream()
            .filter(agent -> agent.path("muted").asBoolean()).map(agent -> agent.get("name").asText()).sorted().toList());

        long many = readsOfOneAgentList("roll-call");
        assertTrue(many <= few + 2, "Redis reads for one agent list: " + few + " for 2 agents, " + many + " for 20");
    }

    /** Agents from..to-1: one holding a name (held-N), one posting and reading under a name nobody holds (poster-N). */
    private static void addAgents(String room, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(200, a.join(room, "pw", "held-" + i).statusCode());
            a.post(room, "pw", "poster-" + i, "here");
            b.get(room, "pw", "/messages/poll?after=0&agent=poster-" + i);
        }
    }

    /** The fewest reads Redis made for one GET /agents in three tries (a background refresh may fall into one). */
    private static long readsOfOneAgentList(String room) {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long before = instances.redis().reads();
            assertEquals(200, b.get(room, "pw", "/agents").statusCode());
            fewest = Math.min(fewest, instances.redis().reads() - before);
        }
        return fewest;
    }

    @Test
    void historyIsCappedInRedisAsInMemory() {
        a.create("capped", "pw");
        for (int i = 1; i <= 8; i++) {
            (i % 2 == 0 ? b : a).post("capped", "pw", "x", "m" + i);
        }
        JsonNode kept = Json.parse(b.get("capped", "pw", "/messages").body()).get("messages");
        assertEquals(5, kept.size());
        assertEquals(4, kept.get(0).get("id").asLong());
        assertEquals(":5", instances.redis().command("XLEN agent-chat:room:capped:log"));
    }

    @Test
    void roomsAreIsolatedAcrossInstances() {
        a.create("left", "pw");
        b.create("right", "pw");
        try (SseClient right = stream(first, "right", Map.of("Last-Event-ID", "0"))) {
            a.post("left", "pw", "x", "left only");
            b.post("right", "pw", "y", "right only");
            await().atMost(5, SECONDS).until(() -> right.messages().size() == 1);
            assertTrue(right.messages().get(0).data().contains("right only"));
            String leftList = b.get("left", "pw", "/messages").body();
            assertTrue(leftList.contains("left only"));
            assertFalse(leftList.contains("right only"));
            assertEquals(1, Json.parse(leftList).get("messages").get(0).get("id").asLong());
        }
    }

    @Test
    void presenceIsSharedAcrossInstances() {
        a.create("who", "pw");
        b.post("who", "pw", "speaker", "hi");
        try (SseClient listener = SseClient.open(first.http(), first.uri("/rooms/who/messages/stream?agent=listener"),
            Map.of("X-Room-Password", "pw"))) {
            await().atMost(5, SECONDS).until(() -> agent(b, "who", "listener") != null
                && agent(b, "who", "listener").get("online").asBoolean());
            assertEquals(1, agent(b, "who", "listener").get("connections").asInt());
            assertTrue(agent(a, "who", "speaker") != null, "an agent that spoke on b is listed on a");
        }
        await().atMost(5, SECONDS).until(() -> !agent(b, "who", "listener").get("online").asBoolean());
    }

    @Test
    void presenceEventsAreAnnouncedOnceOnEveryInstance() {
        a.create("events", "pw");
        try (SseClient onB = presenceStream(second, "observer-b"); SseClient onA = presenceStream(first, "observer-a")) {
            // B's observer was there first: it sees A's arrive, once
            await().atMost(5, SECONDS).until(() -> presence(onB, "observer-a", "joined") == 1);
            SseClient first1 = listen(first, "events", "roamer");
            await().atMost(5, SECONDS).until(() -> presence(onB, "roamer", "joined") == 1);
            // the same agent on the other instance as well: still one agent, already announced
            SseClient second1 = listen(second, "events", "Roamer");
            await().atMost(5, SECONDS).until(() -> agent(a, "events", "roamer") != null
                && agent(a, "events", "roamer").get("connections").asInt() == 2);
            first1.close();
            await().atMost(5, SECONDS).until(() -> agent(b, "events", "roamer").get("connections").asInt() == 1);
            second1.close();
            await().atMost(5, SECONDS).until(() -> presence(onB, "roamer", "left") == 1 && presence(onA, "roamer", "left") == 1);
            // a later event from the far instance has arrived, so any duplicate would have too
            listen(first, "events", "marker").close();
            await().atMost(5, SECONDS).until(() -> presence(onB, "marker", "left") == 1 && presence(onA, "marker", "left") == 1);
            for (SseClient observer : List.of(onA, onB)) {
                assertEquals(1, presence(observer, "roamer", "joined"), observer.events().toString());
                assertEquals(1, presence(observer, "roamer", "left"), observer.events().toString());
                assertEquals(1, presence(observer, "marker", "joined"), observer.events().toString());
            }
        }
    }

    @Test
    void anAgentOnAnInstanceThatStoppedWithoutAWordIsAnnouncedLeftOnEveryInstance() {
        a.create("ghosts", "pw");
        String created = instances.redis().command("HGET " + RedisKeys.meta("ghosts") + " created");
        try (SseClient onA = listen(first, "ghosts", "watcher-a&events=presence");
             SseClient onB = listen(second, "ghosts", "watcher-b&events=presence")) {
            // an instance that announced Phantom, then vanished (its snapshot never written): as a killed one
            RedisClient client = RedisClient.create(instances.redis().url());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().publish(RedisKeys.presenceChannel("ghosts"), "{\"instance\":\"lost-instance\","
                    + "\"agent\":\"Phantom\",\"state\":\"joined\",\"at\":" + (System.currentTimeMillis() - 31_000)
                    + ",\"room\":" + created + "}");
            } finally {
                client.shutdown();
            }
            await().atMost(5, SECONDS).until(() -> presence(onA, "Phantom", "joined") == 1 && presence(onB, "Phantom", "joined") == 1);
            await().atMost(30, SECONDS).until(() -> presence(onA, "Phantom", "left") == 1 && presence(onB, "Phantom", "left") == 1);
            assertTrue(onA.events().stream().anyMatch(e -> e.data() != null && e.data().contains("\"agent\":\"Phantom\"")
                && e.data().contains("\"left\"")), "announced by the name it joined under: " + onA.events());
        }
    }

    @Test
    void aMuteOnOneInstanceIsAModerationEventOnTheOtherOnce() {
        a.create("hushed", "pw");
        try (SseClient onB = listen(second, "hushed", "watcher&events=moderation")) {
            assertEquals(200, a.mute("hushed", "loud").statusCode());
            // a message posted after the mute has reached B, so a second copy of the event would have too
            a.post("hushed", "pw", "quiet", "after the mute");
            await().atMost(5, SECONDS).until(() -> onB.events().stream().anyMatch(e -> e.name().equals("message")));
            List<JsonNode> moderations = onB.events().stream().filter(e -> e.name().equals("moderation"))
                .map(e -> Json.parse(e.data())).toList();
            assertEquals(1, moderations.size(), onB.events().toString());
            assertEquals("loud", moderations.get(0).get("agent").asText());
            assertTrue(moderations.get(0).get("muted").asBoolean());
        }
    }

    @Test
    void serverRoomAtTheRootPathsIsOneRoomForAllInstances() {
        long before = Json.parse(first.get("/messages").body()).get("messages").size();
        try (SseClient onB = SseClient.open(second.http(), second.uri("/messages/stream?agent=root-listener"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(CONNECT, SECONDS).until(() -> onB.comments().contains("connected"));
            long first1 = Json.parse(first.post("root-a", "posted on a").body()).get("message").get("id").asLong();
            long second1 = Json.parse(second.post("root-b", "posted on b").body()).get("message").get("id").asLong();
            assertEquals(first1 + 1, second1, "one sequence of ids");
            JsonNode onBList = Json.parse(second.get("/messages?after=" + (first1 - 1)).body()).get("messages");
            assertEquals(List.of("posted on a", "posted on b"),
                List.of(onBList.get(0).get("text").asText(), onBList.get(1).get("text").asText()));
            assertEquals(before + 2, Json.parse(first.get("/messages").body()).get("messages").size());
            await().atMost(5, SECONDS).until(() -> onB.messages().size() == 2);
            assertEquals(List.of(Long.toString(first1), Long.toString(second1)),
                onB.messages().stream().map(SseClient.Event::id).toList());
            // who is there: the listener on b is listed on a, the speaker on a is listed on b
            await().atMost(5, SECONDS).until(() -> rootAgent(first, "root-listener") != null
                && rootAgent(first, "root-listener").get("online").asBoolean());
            assertTrue(rootAgent(second, "root-a") != null);
        }
        // under a name no named room can have, so no named room can reach its keys
        assertEquals(":1", instances.redis().command("EXISTS agent-chat:room:~server:log"));
        assertEquals(400, a.create("~server", "pw").statusCode());
    }

    @Test
    void healthIsOkWhileRedisAnswers() {
        HttpResponse<String> health = first.send(HttpRequest.newBuilder(first.uri("/health")).GET().build());
        assertEquals(200, health.statusCode());
        assertEquals("ok", Json.parse(health.body()).get("status").asText());
    }

    private static JsonNode rootAgent(TestServer server, String name) {
        for (JsonNode agent : Json.parse(server.get("/agents").body()).get("agents")) {
            if (agent.get("name").asText().equals(name)) {
                return agent;
            }
        }
        return null;
    }

    private static JsonNode agent(Rooms via, String room, String name) {
        for (JsonNode agent : Json.parse(via.get(room, "pw", "/agents").body()).get("agents")) {
            if (agent.get("name").asText().equalsIgnoreCase(name)) {
                return agent;
            }
        }
        return null;
    }

    /** How many presence events of that agent (any case) and state the stream has seen. */
    private static long presence(SseClient stream, String agent, String state) {
        return stream.events().stream()
            .filter(e -> e.name().equals("presence"))
            .map(e -> Json.parse(e.data()))
            .filter(d -> d.get("agent").asText().equalsIgnoreCase(agent) && d.get("state").asText().equals(state))
            .count();
    }

    private static SseClient presenceStream(TestServer server, String agent) {
        return listen(server, "events", agent + "&events=presence");
    }

    private static SseClient listen(TestServer server, String room, String agent) {
        SseClient client = SseClient.open(server.http(), server.uri("/rooms/" + room + "/messages/stream?agent=" + agent),
            Map.of("X-Room-Password", "pw"));
        await().atMost(CONNECT, SECONDS).until(() -> client.comments().contains("connected"));
        return client;
    }

    private static SseClient stream(TestServer server, String room, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("X-Room-Password", "pw");
        return SseClient.open(server.http(), server.uri("/rooms/" + room + "/messages/stream"), all);
    }
}
