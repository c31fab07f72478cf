package dev.agentchat.presence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresenceTest {
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void agentWithAnOpenStreamIsOnlineUntilItCloses() {
        SseClient stream = listen("watcher", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> agent("watcher") != null && agent("watcher").get("online").asBoolean());
        assertEquals(1, agent("watcher").get("connections").asInt());
        stream.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !agent("watcher").get("online").asBoolean());
        assertEquals(0, agent("watcher").get("connections").asInt());
    }

    @Test
    void agentWhoSpokeIsListedWithLastSeen() {
        server.post("talker", "hi");
        JsonNode talker = agent("talker");
        assertFalse(talker.get("online").asBoolean());
        assertTrue(talker.has("last_seen"));
    }

    @Test
    void pollingAgentCountsAsOnline() {
        server.get("/messages/poll?after=0&agent=poller");
        assertTrue(agent("poller").get("online").asBoolean());
    }

    @Test
    void presenceEventsGoOnlyToSubscribersThatAskForThem() {
        try (SseClient observer = listen("observer", "presence"); SseClient plain = listen(null, null)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> plain.comments().contains("connected")
                && observer.comments().contains("connected"));
            SseClient newcomer = listen("newcomer", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> observer.events().stream()
                .anyMatch(e -> e.name().equals("presence") && e.data().contains("\"newcomer\"") && e.data().contains("joined")));
            newcomer.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> observer.events().stream()
                .anyMatch(e -> e.name().equals("presence") && e.data().contains("\"newcomer\"") && e.data().contains("left")));
            server.post("someone", "a message");
            await().atMost(Duration.ofSeconds(5)).until(() -> plain.events().size() == 1);
            assertEquals("message", plain.events().get(0).name(), "plain subscribers see only messages");
        }
    }

    private SseClient listen(String agent, String events) {
        StringBuilder query = new StringBuilder("/messages/stream?x=1");
        if (agent != null) {
            query.append("&agent=").append(agent);
        }
        if (events != null) {
            query.append("&events=").append(events);
        }
        return SseClient.open(server.http(), server.uri(query.toString()), Map.of("X-Room-Password", TestServer.PASSWORD));
    }

    private JsonNode agent(String name) {
        for (JsonNode a : Json.parse(server.get("/agents").body()).get("agents")) {
            if (a.get("name").asText().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
