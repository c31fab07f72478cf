package dev.agentchat.limits;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.redis.RedisConnections;
import dev.agentchat.redis.RedisServer;

import dev.agentchat.reliability.RawHttp;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The send rates and the password throttle count on every instance sharing one Redis. Clients are told
 * apart by their source address (127.0.0.x), with the loopback exemption off.
 */
class SharedLimitsTest {
    RedisServer redis;
    LiveServer first;
    LiveServer second;

    @AfterEach
    void stop() throws Exception {
        RedisServer.closeAll(first, second, redis);
    }

    @Test
    void sendBurstOfAnAddressSpentOnOneInstanceIsRefusedOnTheOther() {
        startTwo(Map.of("agent-chat.limits.send-burst-per-address", 3, "agent-chat.limits.send-refill-per-address", "1h"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(first, "agent" + i, "127.0.0.5").status());
        }
        Response refused = post(second, "agent9", "127.0.0.5");
        assertEquals(429, refused.status());
        assertTrue(refused.body().contains("\"code\":\"send_rate_limited\""), refused.body());
        assertTrue(refused.body().contains("\"limit\":3"), refused.body());
        assertTrue(Long.parseLong(refused.header("Retry-After")) > 0, "Retry-After: " + refused.header("Retry-After"));
        assertEquals(429, post(first, "agent9", "127.0.0.5").status());
        assertEquals(200, post(second, "agent9", "127.0.0.6").status());
    }

    @Test
    void sendBurstOfAnAgentSpentOnOneInstanceIsRefusedOnTheOther() {
        startTwo(Map.of("agent-chat.limits.send-burst-per-agent", 2, "agent-chat.limits.send-refill-per-agent", "1h"));
        assertEquals(200, post(first, "chatty", "127.0.0.7").status());
        assertEquals(200, post(second, "chatty", "127.0.0.8").status());
        Response refused = post(second, "Chatty", "127.0.0.9");
        assertEquals(429, refused.status());
        assertTrue(refused.body().contains("\"code\":\"send_rate_limited\""), refused.body());
        assertTrue(refused.header("Retry-After") != null);
        assertEquals(200, post(first, "quiet", "127.0.0.7").status());
    }

    @Test
    void wrongPasswordsOnOneInstanceThrottleTheAddressOnTheOther() {
        startTwo(Map.of("agent-chat.limits.password-failure-burst", 3, "agent-chat.limits.password-failure-refill", "1h"));
        assertEquals(401, withPassword(first, "guess1", "127.0.0.20").status());
        assertEquals(401, withPassword(second, "guess2", "127.0.0.20").status());
        assertEquals(401, withPassword(first, "guess3", "127.0.0.20").status());
        Response throttled = withPassword(second, RawHttp.PASSWORD, "127.0.0.20");
        assertEquals(429, throttled.status());
        assertTrue(throttled.body().contains("\"code\":\"too_many_password_failures\""), throttled.body());
        assertTrue(Long.parseLong(throttled.header("Retry-After")) > 0);
        assertEquals(200, withPassword(second, RawHttp.PASSWORD, "127.0.0.21").status());
        assertTrue(redis.command("PTTL agent-chat:limit:password:127.0.0.20").matches(":\\d+"),
            "the bucket's key expires by itself");
    }

    @Test
    void whileRedisIsDownEachInstanceThrottlesOnItsOwnAndSharesAgainOnceItIsBack() {
        startTwo(Map.of("agent-chat.limits.password-failure-burst", 2, "agent-chat.limits.password-failure-refill", "1h"));
        redis.stop();
        await().atMost(10, SECONDS).until(() -> !first.context().getBean(RedisConnections.class).healthy());
        // not refused wholesale, not let through unchecked: the instance counts in its own memory
        assertEquals(401, withPassword(first, "guess1", "127.0.0.30").status());
        assertEquals(401, withPassword(first, "guess2", "127.0.0.30").status());
        assertEquals(429, withPassword(first, RawHttp.PASSWORD, "127.0.0.30").status());
        assertEquals(401, withPassword(second, "guess3", "127.0.0.30").status());

        redis.start();
        await().atMost(15, SECONDS).until(() -> first.context().getBean(RedisConnections.class).healthy()
            && second.context().getBean(RedisConnections.class).healthy());
        assertEquals(401, withPassword(first, "guess4", "127.0.0.31").status());
        assertEquals(401, withPassword(first, "guess5", "127.0.0.31").status());
        assertEquals(429, withPassword(second, RawHttp.PASSWORD, "127.0.0.31").status());
    }

    private void startTwo(Map<String, Object> limits) {
        redis = RedisServer.startOrSkip();
        Map<String, Object> config = new HashMap<>(limits);
        config.put("agent-chat.redis-url", redis.url());
        first = RawHttp.server(config);
        second = RawHttp.server(config);
    }

    private static Response post(LiveServer server, String agent, String from) {
        try {
            return new RawHttp(server.port()).postJson("{\"agent\":\"" + agent + "\",\"text\":\"hello\"}", from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response withPassword(LiveServer server, String password, String from) {
        try {
            return new RawHttp(server.port()).send("GET", "/messages", Map.of("X-Room-Password", password), null, from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
