package dev.agentchat.redis;

import dev.agentchat.TestServer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis and two agent-chat instances sharing it, each connected and serving the server's room
 * before a test begins (a new instance may take a while to connect when earlier test classes in the
 * same JVM keep its scheduler busy). Closed in reverse: the instances, then Redis.
 */
public record TwoInstances(RedisServer redis, TestServer first, TestServer second) implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(20);

    /** Both instances with {@code agent-chat.redis-url} and {@code config}. */
    public static TwoInstances start(Map<String, Object> config) {
        RedisServer redis = RedisServer.startOrSkip();
        Map<String, Object> shared = new HashMap<>(config);
        shared.put("agent-chat.redis-url", redis.url());
        TestServer first = TestServer.start(shared);
        TestServer second = TestServer.start(shared);
        for (TestServer server : List.of(first, second)) {
            await().atMost(READY).until(() -> server.get("/room").statusCode() == 200);
        }
        return new TwoInstances(redis, first, second);
    }

    @Override
    public void close() throws Exception {
        RedisServer.closeAll(first, second, redis);
    }
}
