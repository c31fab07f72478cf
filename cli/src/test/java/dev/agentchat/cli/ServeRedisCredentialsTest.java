package dev.agentchat.cli;

import dev.agentchat.redis.RedisServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code serve} on a Redis that refuses its credentials does not start: one line, exit 2 (a bad setting), no password shown. */
class ServeRedisCredentialsTest {

    @Test
    void serveWithAWrongRedisPasswordExitsWithOneLineSayingTheCredentialsWereRefused() throws Exception {
        try (RedisServer redis = RedisServer.startOrSkip("--requirepass", "s3cret");
             CliProcess serve = CliProcess.start(Map.of(), null, "serve", "-p", "pw", "--port", "0", "--host", "127.0.0.1",
                 "--redis", redis.url("not-the-s3cret"))) {
            int code = serve.waitFor(60);

            assertEquals(2, code, serve.err());
            String err = serve.err().strip();
            assertTrue(err.startsWith("❌ ") && err.contains("refused the credentials") && err.contains("WRONGPASS"), err);
            assertEquals(1, err.lines().count(), err);
            assertFalse(err.contains("unreachable") || err.contains("not-the-s3cret"), err);
        }
    }
}
