package dev.agentchat.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** A client that vanishes without closing its connection is found by the keepalive and released. */
class DeadPeerTest {

    @Test
    void streamOfAPeerThatVanishedIsReleasedWhileOthersKeepReceiving() throws Exception {
        try (VanishingPeer peer = VanishingPeer.create();
             TestServer server = TestServer.start(Map.of(
                 "agent-chat.keepalive", "500ms",
                 "agent-chat.dead-peer-timeout", "2s"));
             SseClient healthy = SseClient.open(server.http(), server.uri("/messages/stream?agent=healthy"),
                 Map.of("X-Room-Password", TestServer.PASSWORD))) {
            peer.openStream(server.port(), "GET /messages/stream?agent=ghost HTTP/1.1\r\n"
                + "Host: " + peer.serverAddress() + "\r\nX-Room-Password: " + TestServer.PASSWORD + "\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> online(server, "ghost") && online(server, "healthy"));

            peer.vanish();

            // without a bound on unacknowledged data the kernel would keep retrying for ~15 minutes
            await().atMost(Duration.ofSeconds(20)).until(() -> !online(server, "ghost"));
            server.post("poster", "still here");
            await().atMost(Duration.ofSeconds(5)).until(() -> healthy.messages().stream()
                .anyMatch(e -> e.data().contains("still here")));
            await().atMost(Duration.ofSeconds(5)).until(() -> online(server, "healthy"));
        }
    }

    private static boolean online(TestServer server, String name) {
        for (JsonNode agent : Json.parse(server.get("/agents").body()).get("agents")) {
            if (agent.get("name").asText().equals(name)) {
                return agent.get("online").asBoolean();
            }
        }
        return false;
    }
}
