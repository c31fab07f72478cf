package dev.agentchat.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.limits.ConnectionSlots;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AbandonedStreamTest {
    private static final int CLIENTS = 40;

    @Test
    void aStreamWhoseClientLeavesBeforeItsAnswerLetsGoOfItsSlotAndPresence() throws Exception {
        try (LiveServer server = RawHttp.server(Map.of())) {
            RawHttp http = new RawHttp(server.port());
            ConnectionSlots slots = server.context().getBean(ConnectionSlots.class);
            for (int i = 0; i < CLIENTS; i++) {
                // each asks for a stream as a named listener and hangs up at once, before the answer
                try (Socket socket = http.open("127.0.0." + (2 + i))) {
                    socket.getOutputStream().write(("GET /messages/stream?agent=gone" + i + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "X-Room-Password: " + RawHttp.PASSWORD + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> online(http).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> slots.openStreams() == 0);
            assertEquals(List.of(), online(http));
        }
    }

    private static List<String> online(RawHttp http) throws Exception {
        JsonNode agents = Json.parse(http.get("/agents").body()).get("agents");
        List<String> online = new ArrayList<>();
        agents.forEach(agent -> {
            if (agent.get("online").asBoolean()) {
                online.add(agent.get("name").asText());
            }
        });
        return online;
    }
}
