package dev.agentchat.cli;

import dev.agentchat.client.testkit.LiveServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A password beyond ASCII works from every command, sent as the UTF-8 the server reads. */
class NonAsciiPasswordTest {
    private static final String PASSWORD = "Schlüssel-密码";
    @TempDir
    static Path state;
    static CliRunner cli;
    static LiveServer server;

    @BeforeAll
    static void start() {
        cli = new CliRunner(state);
        server = LiveServer.start(PASSWORD, Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
        cli.close();
    }

    @Test
    void sendReadAndListenOpenTheRoomWithItAndAWrongOneIsRefused() {
        CliRunner.Running listen = cli.start("listen", "-u", server.url(), "-p", PASSWORD, "--count", "1");

        CliRunner.Result sent = cli.run("send", "-u", server.url(), "-p", PASSWORD, "-a", "jürgen", "-m", "grüß dich");
        assertEquals(0, sent.code(), sent.err());
        CliRunner.Result read = cli.runThroughPicocli("read", "-u", server.url(), "-p", PASSWORD, "-a", "zoë");
        assertEquals(0, read.code(), read.err());
        assertTrue(read.out().contains("jürgen: grüß dich"), read.out());
        assertEquals(0, listen.exit().orTimeout(15, SECONDS).join(), listen.err());
        await().atMost(5, SECONDS).until(() -> listen.out().contains("jürgen: grüß dich"));

        CliRunner.Result wrong = cli.run("send", "-u", server.url(), "-p", "Schlussel-密码", "-a", "jürgen", "-m", "no");
        assertEquals(1, wrong.code());
        assertEquals("❌ Invalid password\n", wrong.err());
    }
}
