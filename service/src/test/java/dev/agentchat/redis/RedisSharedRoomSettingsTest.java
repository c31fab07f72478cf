package dev.agentchat.redis;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shared room in Redis keeps the settings it was created with: an instance that joins it later
 * (or at the same moment) adopts them and says which of its own it ignores, instead of overriding
 * them for every instance.
 */
class RedisSharedRoomSettingsTest {
    private static final String STORE = "dev.agentchat.hosting.RedisRoomStore";

    RedisServer redis;
    TestServer first;
    TestServer second;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger store = (Logger) LoggerFactory.getLogger(STORE);

    @BeforeEach
    void captureLog() {
        log.start();
        store.addAppender(log);
    }

    @AfterEach
    void stop() throws Exception {
        store.detachAppender(log);
        RedisServer.closeAll(first, second, redis);
    }

    @Test
    void aSecondInstanceWithAnotherTopicKeepsTheSharedRoomsTopicAndSaysItsOwnIsIgnored() {
        redis = RedisServer.startOrSkip();
        first = started(Map.of("agent-chat.topic", "Ship the parser"));
        second = started(Map.of("agent-chat.topic", "Rewrite everything"));

        assertEquals("Ship the parser", topic(first));
        assertEquals("Ship the parser", topic(second));
        assertEquals(List.of("The shared room already exists with topic \"Ship the parser\"; --topic ignored"), said());
    }

    @Test
    void aSecondInstanceWithASmallerMaxHistoryDoesNotCutTheSharedHistory() {
        redis = RedisServer.startOrSkip();
        first = started(Map.of("agent-chat.max-history", 100));
        second = started(Map.of("agent-chat.max-history", 2));
        for (int i = 1; i <= 5; i++) {
            assertEquals(200, second.post("b", "message " + i).statusCode());
        }

        assertEquals(5, Json.parse(first.get("/messages").body()).get("messages").size());
        assertEquals(List.of("The shared room already exists with a history of 100 messages; --max-history 2 ignored"), said());

        assertEquals(201, first.send(named(first, "").header("Authorization", "Bearer " + first.live().hostKey())
            .PUT(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        for (int i = 1; i <= 5; i++) {
            assertEquals(200, second.send(named(second, "/messages").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"b\",\"text\":\"n" + i + "\"}")).build()).statusCode());
        }
        assertEquals(5, Json.parse(first.send(named(first, "/messages").GET().build()).body()).get("messages").size(),
            "a named room keeps the history its creating instance set");
    }

    @Test
    void twoInstancesStartingAtOnceAgreeOnOneCreatorsSettings() {
        redis = RedisServer.startOrSkip();
        CompletableFuture<TestServer> a = CompletableFuture.supplyAsync(() -> started(Map.of("agent-chat.topic", "A")));
        CompletableFuture<TestServer> b = CompletableFuture.supplyAsync(() -> started(Map.of("agent-chat.topic", "B")));
        first = a.join();
        second = b.join();

        String topic = topic(first);
        assertEquals(topic, topic(second));
        assertEquals(List.of("The shared room already exists with topic \"" + topic + "\"; --topic ignored"), said(),
            "exactly one instance created the room");
    }

    private TestServer started(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("agent-chat.redis-url", redis.url());
        TestServer server = TestServer.start(all);
        await().atMost(20, SECONDS).until(() -> server.get("/room").statusCode() == 200);
        return server;
    }

    private static HttpRequest.Builder named(TestServer server, String path) {
        return HttpRequest.newBuilder(server.uri("/rooms/named" + path)).header("X-Room-Password", "named-pw");
    }

    private static String topic(TestServer server) {
        return Json.parse(server.get("/room").body()).path("topic").asText();
    }

    private List<String> said() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains("already exists")).toList();
    }
}
