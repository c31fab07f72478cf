package dev.agentchat.limits;

import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import dev.agentchat.reliability.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendLimitsTest {

    @Test
    void sendsBeyondTheBurstOfAnAddressAreRefusedWhileOtherAddressesPost() throws IOException {
        try (TestServer server = TestServer.start(Map.of("agent-chat.limits.send-burst-per-address", 3,
            "agent-chat.limits.send-refill-per-address", "1h"))) {
            RawHttp http = server.http();
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
        try (TestServer server = TestServer.start(Map.of("agent-chat.limits.send-burst-per-agent", 2,
            "agent-chat.limits.send-refill-per-agent", "1h"))) {
            RawHttp http = server.http();
            assertEquals(200, http.postJson(message("chatty"), "127.0.0.1").status());
            assertEquals(200, http.postJson(message("chatty"), "127.0.0.2").status());
            Response refused = http.postJson(message("Chatty"), "127.0.0.3");
            assertEquals(429, refused.status());
            assertTrue(refused.body().contains("\"code\":\"send_rate_limited\""), refused.body());
            assertEquals(200, http.postJson(message("quiet"), "127.0.0.1").status());
        }
    }

    private static String message(String agent) {
        return "{\"agent\":\"" + agent + "\",\"text\":\"hello\"}";
    }

    private static int countMessages(RawHttp http) throws IOException {
        return http.get("/messages").body().split("\"id\":").length - 1;
    }
}
