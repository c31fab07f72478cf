package dev.agentchat.cli;

import dev.agentchat.redis.RedisServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Instances sharing a Redis accept only a host key they were given alike: {@code serve} on Redis
 * with a host key of its own making says so, and one given {@code --host-key} does not.
 */
class ServeRedisHostKeyTest {
    private static final String WARNING = "⚠️ The host key above is this instance's own: other instances on this Redis"
        + " make up their own and refuse it. Start every instance with the same --host-key (env AGENT_CHAT_HOST_KEY), e.g. this one\n";

    @Test
    void anInstanceOnRedisWithAHostKeyOfItsOwnMakingWarnsThatTheOthersRefuseIt() throws Exception {
        try (RedisServer redis = RedisServer.startOrSkip();
             CliProcess serve = CliProcess.start(Map.of("AGENT_CHAT_HOST_KEY", ""), null, "serve", "-p", "pw", "--port", "0",
                 "--host", "127.0.0.1", "--redis", redis.url())) {
            await().atMost(60, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            await().atMost(5, SECONDS).until(() -> serve.err().contains(WARNING));
            serve.terminate();
            assertEquals(0, serve.waitFor(15), serve.err());
        }
    }

    @Test
    void anInstanceOnRedisGivenItsHostKeyDoesNotWarn() throws Exception {
        try (RedisServer redis = RedisServer.startOrSkip();
             CliProcess serve = CliProcess.start(Map.of(), null, "serve", "-p", "pw", "--port", "0", "--host", "127.0.0.1",
                 "--redis", redis.url(), "--host-key", "host-shared-by-every-instance")) {
            await().atMost(60, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            serve.terminate();
            assertEquals(0, serve.waitFor(15), serve.err());
            assertFalse(serve.err().contains("host key"), serve.err());
        }
    }
}
