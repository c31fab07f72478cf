package dev.agentchat.cli;

import dev.agentchat.redis.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances sharing a Redis accept only a host key they were given alike: {@code serve} on Redis
 * with a host key of its own making says so, and one given {@code --host-key} does not.
 */
class ServeRedisHostKeyTest {
    private static final Pattern API = Pattern.compile("API: +(http://\\S+)");
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

    @Test
    void anInstanceStartedWhileItsRedisIsDownServesOnceRedisAnswers() throws Exception {
        try (RedisServer redis = RedisServer.startOrSkip()) {
            redis.stop();
            try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "-p", "pw", "--port", "0", "--host", "127.0.0.1",
                "--redis", redis.url(), "--host-key", "host-shared-by-every-instance", "--topic", "ship it")) {
                await().atMost(60, SECONDS).until(() -> serve.out().contains("Ctrl-C") || !serve.isAlive());
                assertTrue(serve.out().contains("   Topic:      ship it\n"), serve.out() + serve.err());
                Matcher api = API.matcher(serve.out());
                assertTrue(api.find(), serve.out());
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest health = HttpRequest.newBuilder(URI.create(api.group(1) + "/health")).build();
                assertEquals(503, http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode());

                redis.start();
                await().atMost(30, SECONDS).until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                HttpRequest post = HttpRequest.newBuilder(URI.create(api.group(1) + "/messages"))
                    .header("X-Room-Password", "pw").POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"a\",\"text\":\"up\"}")).build();
                assertEquals(200, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
                serve.terminate();
                assertEquals(0, serve.waitFor(15), serve.err());
            }
        }
    }
}
