package dev.agentchat.redis;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentchat.TestServer;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance whose Redis goes away or stalls says so: its health turns 503 (so a load balancer sends
 * clients elsewhere), and its log has one line when Redis is lost and one when it is back, not one
 * per reconnect.
 */
class RedisOutageTest {
    RedisServer redis;
    TestServer server;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger states = (Logger) LoggerFactory.getLogger(RedisConnections.class);

    @BeforeEach
    void start() {
        log.start();
        states.addAppender(log);
        redis = RedisServer.startOrSkip();
        server = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
        await().atMost(10, SECONDS).until(() -> health() == 200);
    }

    @AfterEach
    void stop() throws Exception {
        states.detachAppender(log);
        RedisServer.closeAll(server, redis);
    }

    @Test
    void aStalledRedisMakesTheInstanceUnhealthyUntilItAnswersAgain() {
        redis.pause();
        await().atMost(10, SECONDS).until(() -> health() == 503);
        assertEquals(1, lines("does not answer").size(), lines("").toString());
        // commands fail at once rather than each waiting out its timeout, and requests are told to come back
        RedisConnections connections = server.context().getBean(RedisConnections.class);
        RedisException refused = assertThrows(RedisException.class, () -> connections.sync().get("any"));
        assertTrue(refused.getMessage().contains("does not answer"), refused.getMessage());
        HttpResponse<String> post = server.post("alice", "while Redis stalls");
        assertEquals(503, post.statusCode(), post.body());
        assertEquals("1", post.headers().firstValue("Retry-After").orElse(null));

        redis.resume();
        await().atMost(10, SECONDS).until(() -> health() == 200);
        await().atMost(5, SECONDS).untilAsserted(() -> assertEquals(1, lines("answers again").size(), lines("").toString()));
        assertEquals(1, lines("does not answer").size(), lines("").toString());
    }

    @Test
    void aRedisThatGoesAwayIsLoggedOnceAsUnreachableAndOnceAsBack() {
        redis.stop();
        await().atMost(10, SECONDS).until(() -> health() == 503);
        // the client tries to reconnect several times meanwhile: still one line
        await().during(4, SECONDS).atMost(6, SECONDS).until(() -> lines("unreachable").size() <= 1);
        assertEquals(1, lines("unreachable").size(), lines("").toString());
        assertTrue(lines("unreachable").get(0).contains("answered 503"), lines("").toString());

        redis.start();
        await().atMost(15, SECONDS).until(() -> health() == 200);
        await().atMost(5, SECONDS).untilAsserted(() -> assertEquals(1, lines(" is back").stream().filter(l -> l.endsWith(" is back")).count(), lines("").toString()));
        assertEquals(1, lines("unreachable").size(), lines("").toString());
    }

    private List<String> lines(String containing) {
        return List.copyOf(log.list).stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains(containing)).toList();
    }

    private int health() {
        return server.send(HttpRequest.newBuilder(server.uri("/health")).GET().build()).statusCode();
    }
}
