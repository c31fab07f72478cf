package dev.agentchat.limits;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendLimitsTest {

    @Test
    void sendsBeyondTheBurstOfAnAddressAreRefusedWhileOtherAddressesPost() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.send-burst-per-address", 3,
            "agent-chat.limits.send-refill-per-address", "1h"))) {
            RawHttp http = new RawHttp(server.port());
            for (int i = 0; i < 3; i++) {
                assertEquals(200, http.postJson(message("agent" + i), "127.0.0.1").status());
            }
            Response refused = http.postJson(message("agent9"), "127.0.0.1");
            assertEquals(429, refused.status());
            assertTrue(refused.body().contains("\"code\":\"send_rate_limited\""), refused.body());
            assertTrue(refused.body().contains("\"limit\":3"), refused.body());
            assertNotNull(refused.header("Retry-After"));
            assertEquals(200, http.postJson(message("agent9"), "127.0.0.2").status());
            // refused messages were not stored
            assertEquals(4, countMessages(http));
        }
    }

    @Test
    void sendsBeyondTheBurstOfAnAgentAreRefusedWhileOtherAgentsPost() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.send-burst-per-agent", 2,
            "agent-chat.limits.send-refill-per-agent", "1h"))) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(200, http.postJson(message("chatty"), "127.0.0.1").status());
            assertEquals(200, http.postJson(message("chatty"), "127.0.0.2").status());
            Response refused = http.postJson(message("Chatty"), "127.0.0.3");
            assertEquals(429, refused.status());
            assertTrue(refused.body().contains("\"code\":\"send_rate_limited\""), refused.body());
            assertEquals(200, http.postJson(message("quiet"), "127.0.0.1").status());
        }
    }

    @Test
    void clientsOnThisMachineAreExemptUnlessTheyComeThroughTheProxy() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.exempt-loopback", true,
            "agent-chat.trust-proxy", true, "agent-chat.limits.send-burst-per-agent", 2,
            "agent-chat.limits.send-refill-per-agent", "1h"))) {
            RawHttp http = new RawHttp(server.port());
            for (int i = 0; i < 5; i++) {
                assertEquals(200, http.postJson(message("local"), "127.0.0.1").status());
            }
            Map<String, String> forwarded = Map.of("X-Room-Password", RawHttp.PASSWORD,
                "Content-Type", "application/json", "X-Forwarded-For", "203.0.113.7");
            byte[] body = message("remote").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(200, http.send("POST", "/messages", forwarded, body, "127.0.0.1").status());
            assertEquals(200, http.send("POST", "/messages", forwarded, body, "127.0.0.1").status());
            assertEquals(429, http.send("POST", "/messages", forwarded, body, "127.0.0.1").status());
        }
    }

    private static String message(String agent) {
        return "{\"agent\":\"" + agent + "\",\"text\":\"hello\"}";
    }

    private static int countMessages(RawHttp http) throws IOException {
        return http.get("/messages").body().split("\"id\":").length - 1;
    }
}
