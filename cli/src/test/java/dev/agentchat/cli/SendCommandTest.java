package dev.agentchat.cli;

import com.sun.net.httpserver.HttpServer;
import dev.agentchat.cli.errors.ExitCodes;

import dev.agentchat.client.model.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendCommandTest {
    @TempDir
    static Path state;
    static TestRoom room;
    static CliRunner cli;

    @BeforeAll
    static void start() {
        room = TestRoom.start();
        cli = new CliRunner(state);
    }

    @AfterAll
    static void stop() {
        cli.close();
        room.close();
    }

    @Test
    void sentMessagePrintsTheOriginalConfirmationAndReachesTheRoom() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "alice", "-m", "hello room");

        assertEquals(0, result.code());
        assertEquals("✅ Sent message as alice\n", result.out());
        assertEquals("", result.err());
        Message last = last();
        assertEquals("alice", last.getAgent());
        assertEquals("hello room", last.getText());
    }

    @Test
    void textGivenWithoutDashMIsAUsageMistakeThatSaysWhereTheTextGoes() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "alice", "hello room");

        assertEquals(2, result.code());
        assertTrue(result.err().startsWith("❌ Unmatched argument at index 7: 'hello room'\n"
            + "The message text goes after -m (agent-chat send -m 'TEXT'), or is piped in.\n"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void longFlagsWorkLikeTheOriginal() {
        CliRunner.Result result = cli.run("send", "--url", room.url() + "/", "--password", "pw",
            "--agent-name", "bob", "--message", "long flags");

        assertEquals(0, result.code());
        assertEquals("long flags", last().getText());
    }

    @Test
    void addressedReplyCarriesRecipientsAndTheAnsweredId() {
        long question = room.post("alice", "who reviews?");

        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "bob",
            "--to", "alice,carol", "--reply-to", Long.toString(question), "-m", "me");

        assertEquals(0, result.code());
        Message reply = last();
        assertEquals(List.of("alice", "carol"), reply.getTo());
        assertEquals(question, reply.getReplyTo());
    }

    @Test
    void jsonPrintsTheStoredMessageWithItsId() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "bob", "-m", "@alice hi", "--json");

        assertEquals(0, result.code());
        long id = last().getId();
        assertTrue(result.out().startsWith("{\"id\":" + id + ",\"agent\":\"bob\",\"text\":\"@alice hi\",\"timestamp\":\""), result.out());
        assertTrue(result.out().contains("\"mentions\":[\"alice\"]"), result.out());
        assertTrue(result.out().contains("\"verified\":true"), result.out()); // the CLI holds its name
    }

    @Test
    void wrongPasswordPrintsTheOriginalErrorAndExitsOne() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "nope", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.FAILURE, result.code());
        assertEquals("", result.out());
        assertEquals("❌ Invalid password\n", result.err());
    }

    @Test
    void unreachableServerIsOneLineAndExitCodeThree() {
        CliRunner.Result result = cli.run("send", "-u", "http://127.0.0.1:1", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.UNREACHABLE, result.code());
        assertEquals("❌ Cannot reach http://127.0.0.1:1: connection refused\n", result.err());
    }

    @Test
    void unknownHostIsNamed() {
        CliRunner.Result result = cli.run("send", "-u", "http://no-such-host.invalid", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.UNREACHABLE, result.code());
        assertEquals("❌ Cannot reach http://no-such-host.invalid: unknown host no-such-host.invalid\n", result.err());
    }

    @Test
    void malformedUrlIsAUsageError() {
        CliRunner.Result result = cli.run("send", "-u", "localhost:8765", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Invalid URL 'localhost:8765'"), result.err());
        assertTrue(result.err().contains("Usage: agent-chat send"), result.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://localhost:8765/#password=s3cret-pw|http://localhost:8765/#password=***|http://localhost:8765",
        "https://x.example/rooms/design/?password=s3cret-pw|https://x.example/rooms/design/?password=***|https://x.example/rooms/design",
        "http://me:s3cret-pw@localhost:8765|http://me:***@localhost:8765|http://localhost:8765"})
    void aUrlWithAPasswordInItIsRefusedWithoutShowingItAndNamesTheRoom(String url, String shown, String room) {
        CliRunner.Result result = cli.run("send", "-u", url, "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertEquals("❌ Invalid URL '" + shown + "': the password goes on its own (-p), not in the URL; the room is " + room,
            result.err().lines().findFirst().orElse(""));
        assertFalse(result.err().contains("s3cret-pw"), result.err());
    }

    @Test
    void anInvalidUrlIsShownWithoutAPasswordInIt() {
        CliRunner.Result result = cli.run("read", "-u", "ftp://me:s3cret-pw@localhost:8765/#password=s3cret-pw", "-p", "pw", "-a", "alice");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertTrue(result.err().startsWith("❌ Invalid URL 'ftp://me:***@localhost:8765/#password=***': expected http(s)://"), result.err());
    }

    @Test
    void aPortOutOfRangeIsAMalformedUrl() {
        CliRunner.Result result = cli.run("send", "-u", "http://localhost:99999", "-p", "pw", "-a", "alice", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Invalid URL 'http://localhost:99999'"), result.err());
    }

    @Test
    void aServerThatIsShuttingDownIsExit3ToTryAgainLater() throws IOException {
        HttpServer stopping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stopping.createContext("/", exchange -> {
            byte[] body = "{\"error\":\"The server is shutting down\",\"code\":\"shutting_down\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Retry-After", "5");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stopping.start();
        try {
            CliRunner.Result result = cli.run("send", "-u", "http://127.0.0.1:" + stopping.getAddress().getPort(),
                "-p", "pw", "-a", "alice", "-m", "x");

            assertEquals(ExitCodes.UNREACHABLE, result.code(), result.err());
            assertEquals("❌ The server is shutting down (retry after 5 s)\n", result.err());
        } finally {
            stopping.stop(0);
        }
    }

    @Test
    void missingAgentNameShowsTheUsage() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Missing required option: '--agent-name=NAME' (or set AGENT_CHAT_NAME)"), result.err());
        assertTrue(result.err().contains("Usage: agent-chat send"), result.err());
        assertTrue(!result.err().contains("Exception"), result.err());
    }

    @Test
    void rejectedMessageShowsTheServersReason() {
        CliRunner.Result result = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "alice", "-m", "x".repeat(70_000));

        assertEquals(ExitCodes.FAILURE, result.code());
        assertTrue(result.err().startsWith("❌ ") && result.err().lines().count() == 1, result.err());
    }

    private static Message last() {
        List<Message> history = room.client().history();
        return history.get(history.size() - 1);
    }
}
