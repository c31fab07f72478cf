package dev.agentchat.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cross-instance scenario at toy scale: the generator's own redis-server, two embedded servers on
 * it, subscribers and waiting polls on one and posts on the other. Skipped with a notice without redis-server, except
 * under CI, where that is a failure.
 */
class CrossInstanceSmokeTest {

    @Test
    void subscribersAndPollsOnOneInstanceReceiveEveryMessagePostedOnTheOther(@TempDir Path dir) throws IOException {
        Optional<Path> binary = RedisProcess.find();
        if (binary.isEmpty()) {
            String notice = "redis-server not found on PATH: cross-instance bench smoke test skipped";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(notice + "; under CI=true it must run");
            }
            System.err.println("NOTICE: " + notice);
            Assumptions.abort(notice);
        }
        try (RedisProcess redis = RedisProcess.start(binary.get(), dir.resolve("redis.log"));
             EmbeddedServer a = start(redis);
             EmbeddedServer b = start(redis);
             Http http = new Http(target(b), 1)) {
            FanOut.Result result = FanOut.run(http, new Control(target(a)), null, 5, 10, 1, Duration.ofMillis(5));
            assertEquals(5, result.connected());
            assertEquals(50, result.delivered());
            assertEquals(1.0, result.deliveryRatio());
            assertEquals(0, result.duplicates());
            assertEquals(5, result.warmUpDelivered());

            LongPollWake.Result polls = LongPollWake.run(http, new Control(target(a)), null, 5, 1, 2);
            assertEquals(List.of(5, 5), polls.rounds().stream().map(LongPollWake.Round::waiting).toList());
            assertEquals(10, polls.woken());
            assertEquals(5, polls.cold().woken());
            assertEquals(0, polls.errors());
        }
    }

    private static EmbeddedServer start(RedisProcess redis) {
        Map<String, Object> properties = new HashMap<>(Bench.LIFTED_LIMITS);
        properties.put("agent-chat.password", "pw");
        properties.put("agent-chat.redis-url", redis.url());
        properties.put("micronaut.server.port", -1);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    private static Target target(EmbeddedServer server) {
        return new Target(URI.create("http://localhost:" + server.getPort()), "pw");
    }
}
