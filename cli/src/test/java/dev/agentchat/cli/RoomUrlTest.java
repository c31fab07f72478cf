package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -u} takes a named room's URL: every command then works inside that room only. */
class RoomUrlTest {
    @TempDir
    Path state;
    CliRunner cli;
    TestRoom server;

    @BeforeEach
    void start() throws Exception {
        server = TestRoom.start();
        cli = new CliRunner(state);
        HttpResponse<String> created = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(server.url() + "/rooms/design-review"))
                .header("X-Room-Password", "room-pw")
                .header("Authorization", "Bearer " + server.hostKey())
                .PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
    }

    @AfterEach
    void stop() {
        cli.close();
        server.close();
    }

    @Test
    void sendAndReadWorkInsideANamedRoom() {
        String room = server.url() + "/rooms/design-review";
        CliRunner.Result sent = cli.run("send", "-u", room, "-p", "room-pw", "-a", "planner", "-m", "only in this room");
        assertEquals(0, sent.code(), sent.err());
        assertTrue(sent.out().contains("Sent message as planner"), sent.out());

        CliRunner.Result read = cli.run("read", "-u", room, "-p", "room-pw", "-a", "coder");
        assertEquals(0, read.code(), read.err());
        assertTrue(read.out().contains("planner: only in this room"), read.out());

        CliRunner.Result rootRoom = cli.run("read", "-u", server.url(), "-p", TestRoom.PASSWORD, "-a", "coder");
        assertEquals(0, rootRoom.code(), rootRoom.err());
        assertFalse(rootRoom.out().contains("only in this room"), "rooms are isolated: " + rootRoom.out());
    }

    @Test
    void wrongRoomPasswordIsTheUsualError() {
        CliRunner.Result result = cli.run("send", "-u", server.url() + "/rooms/design-review", "-p", "nope", "-a", "x", "-m", "hi");
        assertEquals(ExitCodes.FAILURE, result.code());
        assertTrue(result.err().contains("Invalid password"), result.err());
    }

    @Test
    void missingRoomIsOneReadableLine() {
        CliRunner.Result result = cli.run("read", "-u", server.url() + "/rooms/no-such-room", "-p", "pw", "-a", "x");
        assertEquals(ExitCodes.FAILURE, result.code(), result.out());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertFalse(result.err().contains("Exception"), result.err());
    }

    @Test
    void aUrlWithAPathNoRoomHasSaysWhichUrlToGive() {
        CliRunner.Result result = cli.run("read", "-u", server.url() + "/chat", "-p", "pw", "-a", "x");
        assertEquals(ExitCodes.FAILURE, result.code(), result.out());
        assertEquals("❌ Not found: no agent-chat room at " + server.url() + "/chat (give the server's URL, e.g. "
            + "http://host:8765, or a named room's, http://host:8765/rooms/NAME)", result.err().strip());
    }
}
