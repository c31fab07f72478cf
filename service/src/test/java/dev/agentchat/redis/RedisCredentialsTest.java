package dev.agentchat.redis;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.system.SettingsCheck;
import io.micronaut.core.value.MapPropertyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis refusing the credentials of the Redis URL (NOAUTH, WRONGPASS) is said as such, never as
 * Redis being unreachable, and without the password: at start the server refuses to start, while
 * running it logs it once and tells clients.
 */
class RedisCredentialsTest {
    private static final String WRONG = "not-the-s3cret";

    RedisServer redis;
    TestServer server;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() throws Exception {
        root.detachAppender(log);
        RedisServer.closeAll(server, redis);
    }

    @Test
    void aWrongRedisPasswordStopsTheServerFromStartingWithOneLineThatSaysSo() {
        redis = RedisServer.startOrSkip("--requirepass", "s3cret");

        RuntimeException failure = assertThrows(RuntimeException.class,
            () -> server = TestServer.start(Map.of("agent-chat.redis-url", redis.url(WRONG))));

        String refusal = SettingsCheck.refusal(failure, new MapPropertyResolver(Map.of())).orElseThrow(() -> failure);
        assertTrue(refusal.contains("refused the credentials") && refusal.contains("WRONGPASS"), refusal);
        assertFalse(refusal.contains("unreachable") || refusal.contains(WRONG) || refusal.contains("\n"), refusal);
        assertFalse(logged().contains(WRONG), logged());
    }

    @Test
    void noPasswordForARedisThatWantsOneStopsTheServerFromStartingSayingSo() {
        redis = RedisServer.startOrSkip("--requirepass", "s3cret");

        RuntimeException failure = assertThrows(RuntimeException.class,
            () -> server = TestServer.start(Map.of("agent-chat.redis-url", redis.url())));

        String refusal = SettingsCheck.refusal(failure, new MapPropertyResolver(Map.of())).orElseThrow(() -> failure);
        assertTrue(refusal.contains("wants a password") && refusal.contains("NOAUTH"), refusal);
    }

    @Test
    void credentialsRefusedWhileRunningAreLoggedOnceAndToldToClients() {
        redis = RedisServer.startOrSkip();
        server = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        await().atMost(20, SECONDS).until(() -> server.get("/room").statusCode() == 200);

        redis.stop();
        redis.start("--requirepass", "s3cret"); // back, with a password this instance does not have

        await().atMost(20, SECONDS).until(() -> logged().contains("NOAUTH"));
        HttpResponse<String> refused = server.get("/room");
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("store_unavailable", Json.parse(refused.body()).get("code").asText());
        assertTrue(Json.parse(refused.body()).get("error").asText().contains("refuses this server's credentials"), refused.body());
        List<String> refusals = log.list.stream().filter(e -> e.getLoggerName().equals(RedisConnections.class.getName()))
            .map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains("NOAUTH")).toList();
        assertEquals(1, refusals.size(), "said once, not at every reconnect: " + refusals);
        assertFalse(refusals.get(0).contains("unreachable"), refusals.get(0));
    }

    private List<String> lines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private String logged() {
        return String.join("\n", lines());
    }
}
