package dev.agentchat.limits;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordThrottleTest {

    @Test
    void wrongPasswordsBeyondTheBurstAreThrottledForThatAddressOnly() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.password-failure-burst", 3,
            "agent-chat.limits.password-failure-refill", "1h"))) {
            RawHttp http = new RawHttp(server.port());
            for (int i = 0; i < 3; i++) {
                assertEquals(401, withPassword(http, "guess" + i, "127.0.0.1", Map.of()).status());
            }
            Response throttled = withPassword(http, "guess3", "127.0.0.1", Map.of());
            assertEquals(429, throttled.status());
            assertTrue(throttled.body().contains("\"code\":\"too_many_password_failures\""), throttled.body());
            assertTrue(throttled.body().contains("\"limit\":3"), throttled.body());
            assertTrue(Long.parseLong(throttled.header("Retry-After")) > 0);

            // the right password does not get through a throttled address: a guesser learns nothing
            assertEquals(429, withPassword(http, RawHttp.PASSWORD, "127.0.0.1", Map.of()).status());
            assertEquals(200, withPassword(http, RawHttp.PASSWORD, "127.0.0.2", Map.of()).status());
        }
    }

    @Test
    void throttledAddressGetsAttemptsBackAsTheBucketRefills() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.password-failure-burst", 1,
            "agent-chat.limits.password-failure-refill", "300ms"))) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(401, withPassword(http, "wrong", "127.0.0.1", Map.of()).status());
            assertEquals(429, withPassword(http, "wrong", "127.0.0.1", Map.of()).status());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> withPassword(http, RawHttp.PASSWORD, "127.0.0.1", Map.of()).status() == 200);
        }
    }

    @Test
    void theHostKeySentAsThePasswordIsToldWhereItGoesAndIsNotCountedAsAWrongPassword() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.password-failure-burst", 1,
            "agent-chat.limits.password-failure-refill", "1h"))) {
            RawHttp http = new RawHttp(server.port());
            for (int i = 0; i < 3; i++) {
                Response misplaced = withPassword(http, LiveServer.HOST_KEY, "127.0.0.1", Map.of());
                assertEquals(401, misplaced.status());
                assertTrue(misplaced.body().contains("\"code\":\"host_key_as_password\""), misplaced.body());
                assertTrue(misplaced.body().contains("Authorization: Bearer"), misplaced.body());
            }
            // none of the three took the address's one allowed wrong password
            assertEquals(200, withPassword(http, RawHttp.PASSWORD, "127.0.0.1", Map.of()).status());
            assertEquals(401, withPassword(http, "wrong", "127.0.0.1", Map.of()).status());
            assertEquals(429, withPassword(http, RawHttp.PASSWORD, "127.0.0.1", Map.of()).status());
        }
    }

    @Test
    void aNameTokenTheRoomDoesNotKnowIsToldToClaimAgainAndIsNotCountedButAnyOtherBearerIs() throws IOException {
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.password-failure-burst", 1,
            "agent-chat.limits.password-failure-refill", "1h"))) {
            RawHttp http = new RawHttp(server.port());
            // a restarted server's agents come back with the tokens the old one gave
            for (int i = 0; i < 3; i++) {
                Response stale = http.send("GET", "/messages",
                    Map.of("Authorization", "Bearer act_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + i), null, "127.0.0.1");
                assertEquals(401, stale.status());
                assertTrue(stale.body().contains("\"code\":\"invalid_token\""), stale.body());
                assertTrue(stale.body().contains("claim the name again"), stale.body());
            }
            assertEquals(200, withPassword(http, RawHttp.PASSWORD, "127.0.0.1", Map.of()).status());
            // a bearer in any other shape is a guess at the host key
            assertEquals(401, http.send("GET", "/messages", Map.of("Authorization", "Bearer host-guess"), null, "127.0.0.1").status());
            assertEquals(429, withPassword(http, RawHttp.PASSWORD, "127.0.0.1", Map.of()).status());
        }
    }

    @Test
    void forwardedForIsIgnoredUnlessTheProxyIsTrusted() throws IOException {
        Map<String, Object> limits = Map.of("agent-chat.limits.password-failure-burst", 1,
            "agent-chat.limits.password-failure-refill", "1h");
        try (LiveServer server = RawHttp.server(limits)) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(401, withPassword(http, "wrong", "127.0.0.1", Map.of("X-Forwarded-For", "10.0.0.1")).status());
            // a client cannot escape the throttle by claiming another address
            assertEquals(429, withPassword(http, RawHttp.PASSWORD, "127.0.0.1",
                Map.of("X-Forwarded-For", "10.0.0.2")).status());
        }
        Map<String, Object> trusting = new java.util.HashMap<>(limits);
        trusting.put("agent-chat.trust-proxy", true);
        try (LiveServer server = RawHttp.server(trusting)) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(401, withPassword(http, "wrong", "127.0.0.1", Map.of("X-Forwarded-For", "10.0.0.1")).status());
            assertEquals(429, withPassword(http, RawHttp.PASSWORD, "127.0.0.1",
                Map.of("X-Forwarded-For", "10.0.0.1")).status());
            // behind the proxy, each client is told apart by the address the proxy appended last
            assertEquals(200, withPassword(http, RawHttp.PASSWORD, "127.0.0.1",
                Map.of("X-Forwarded-For", "10.0.0.1, 10.0.0.2")).status());
        }
    }

    private static Response withPassword(RawHttp http, String password, String from, Map<String, String> extra)
        throws IOException {
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put("X-Room-Password", password);
        return http.send("GET", "/messages", headers, null, from);
    }
}
