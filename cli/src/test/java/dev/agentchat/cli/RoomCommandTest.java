package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agent-chat room NAME}: the host opens a named room from the shell and gets an invite that works. */
class RoomCommandTest {
    @TempDir
    Path state;
    CliRunner cli;
    TestRoom server;

    @BeforeEach
    void start() throws IOException {
        Path jar = Files.writeString(state.resolve("agent-chat.jar"), "a jar");
        server = TestRoom.start(Map.of("agent-chat.client-jar", jar.toString()));
        cli = new CliRunner(state);
    }

    @AfterEach
    void stop() {
        cli.close();
        server.close();
    }

    @Test
    void theHostCreatesARoomAndItsInviteLeadsIntoIt() {
        String room = server.url() + "/rooms/design-review";
        CliRunner.Result created = cli.run("room", "design-review", "-u", server.url(), "-p", "room-pw",
            "--host-key", server.hostKey());
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().startsWith("✅ Created room design-review"), created.out());
        assertTrue(created.out().contains("export AGENT_CHAT_URL=" + room + " AGENT_CHAT_PASSWORD=room-pw"), created.out());
        assertTrue(created.out().contains("Web UI:  " + room + "/#password=room-pw"), created.out());
        assertTrue(created.out().contains("curl -fsSO " + server.url() + "/agent-chat.jar\n"),
            "the jar is the server's, not the room's: " + created.out());
        assertTrue(created.err().startsWith("⚠️ ") && created.err().contains(" reaches the server from this machine only"),
            "a loopback address is said to work here only, as a warning: " + created.err());
        assertFalse(created.out().contains("⚠️"), created.out());

        CliRunner.Result sent = cli.run("send", "-u", room, "-p", "room-pw", "-a", "planner", "-m", "in the new room");
        assertEquals(0, sent.code(), sent.err());
        CliRunner.Result read = cli.run("read", "-u", room, "-p", "room-pw", "-a", "coder");
        assertTrue(read.out().contains("planner: in the new room"), read.out());
    }

    @Test
    void theInviteGivesTheServersPublicUrlWhenTheHostReachedItOnThisMachine() {
        try (TestRoom tunnelled = TestRoom.start(Map.of("agent-chat.public-url", "https://chat.example.org/",
            "agent-chat.client-jar", state.resolve("agent-chat.jar").toString()))) {
            CliRunner.Result created = cli.run("room", "design", "-u", tunnelled.url(), "-p", "room-pw",
                "--host-key", tunnelled.hostKey());
            assertEquals(0, created.code(), created.err());
            assertTrue(created.out().contains("export AGENT_CHAT_URL=https://chat.example.org/rooms/design AGENT_CHAT_PASSWORD=room-pw"),
                created.out());
            assertTrue(created.out().contains("Web UI:  https://chat.example.org/rooms/design/#password=room-pw"), created.out());
            // the jar's link named the address the host reached the server at, which other machines cannot
            assertTrue(created.out().contains("curl -fsSO https://chat.example.org/agent-chat.jar\n"), created.out());
            assertFalse(created.out().contains(tunnelled.url()), created.out());
            assertEquals("", created.err(), "no warning: the invite works on other machines");
        }
    }

    @Test
    void aRoomNameIsCaseInsensitiveAndTheInviteNamesItInLowerCase() {
        CliRunner.Result created = cli.run("room", "Design", "-u", server.url(), "-p", "d-pw", "--host-key", server.hostKey(),
            "--json");
        assertEquals(0, created.code(), created.err());
        assertEquals("{\"room\":\"design\",\"created\":true,\"url\":\"" + server.url() + "/rooms/design\"}",
            created.out().strip());
        CliRunner.Result again = cli.run("room", "DESIGN", "-u", server.url(), "-p", "d-pw");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("✅ Room design exists; the password is right"), again.out());

        assertEquals(0, cli.run("send", "-u", server.url() + "/rooms/Design", "-p", "d-pw", "-a", "a", "-m", "one").code());
        CliRunner.Result read = cli.run("read", "-u", server.url() + "/rooms/design", "-p", "d-pw", "-a", "b");
        assertTrue(read.out().contains("a: one"), read.out());
        CliRunner.Result readAgain = cli.run("read", "-u", server.url() + "/rooms/DESIGN", "-p", "d-pw", "-a", "b");
        assertFalse(readAgain.out().contains("a: one"), "one cursor whatever the spelling: " + readAgain.out());
    }

    @Test
    void anExistingRoomIsConfirmedWithItsPasswordAndNeverReplaced() {
        assertEquals(0, cli.run("room", "ops", "-u", server.url(), "-p", "ops-pw", "--host-key", server.hostKey()).code());
        assertEquals(0, cli.run("send", "-u", server.url() + "/rooms/ops", "-p", "ops-pw", "-a", "a", "-m", "kept").code());

        // no host key is needed to check a password; a named room's URL leads to its server
        CliRunner.Result again = cli.run("room", "ops", "-u", server.url() + "/rooms/elsewhere", "-p", "ops-pw", "--json");
        assertEquals(0, again.code(), again.err());
        assertEquals("{\"room\":\"ops\",\"created\":false,\"url\":\"" + server.url() + "/rooms/ops\"}", again.out().strip());
        // so does the rooms' own path, as a browser shows it
        CliRunner.Result fromRooms = cli.run("room", "ops", "-u", server.url() + "/rooms/", "-p", "ops-pw", "--json");
        assertEquals(again.out(), fromRooms.out(), fromRooms.err());

        CliRunner.Result other = cli.run("room", "ops", "-u", server.url(), "-p", "not-it", "--host-key", server.hostKey());
        assertEquals(ExitCodes.FAILURE, other.code());
        assertEquals("❌ Room ops already exists with another password", other.err().strip());
        CliRunner.Result read = cli.run("read", "-u", server.url() + "/rooms/ops", "-p", "ops-pw", "-a", "b");
        assertTrue(read.out().contains("a: kept"), "the room and its messages stay: " + read.out());
    }

    @Test
    void theHostListsTheRoomsAndEndsOneWhoseFollowersAreToldItIsGone() {
        assertEquals(0, cli.run("rooms", "-u", server.url(), "--host-key", server.hostKey()).code());
        assertEquals("(no named rooms)", cli.run("rooms", "-u", server.url(), "--host-key", server.hostKey()).out().strip());
        assertEquals(0, cli.run("room", "retro", "-u", server.url(), "-p", "pw", "--host-key", server.hostKey()).code());
        assertEquals(0, cli.run("room", "standup", "-u", server.url(), "-p", "pw", "--host-key", server.hostKey()).code());
        String room = server.url() + "/rooms/retro";
        assertEquals(0, cli.run("send", "-u", room, "-p", "pw", "-a", "a", "-m", "last words").code());

        CliRunner.Result listed = cli.run("rooms", "-u", room, "--host-key", server.hostKey());
        assertEquals(0, listed.code(), listed.err());
        List<String> lines = listed.out().lines().toList();
        assertEquals(2, lines.size(), listed.out());
        assertTrue(lines.get(0).matches("retro  " + Pattern.quote(room) + "  until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), lines.get(0));
        assertTrue(lines.get(1).startsWith("standup  " + server.url() + "/rooms/standup  until "), lines.get(1));
        String json = cli.run("rooms", "-u", server.url(), "--host-key", server.hostKey(), "--json").out();
        assertTrue(json.lines().findFirst().orElse("").matches("\\{\"room\":\"retro\",\"url\":\"" + Pattern.quote(room)
            + "\",\"created_at\":\"[^\"]+\",\"expires_at\":\"[^\"]+\"}"), json);

        CliRunner.Running waiting = cli.start("wait", "-u", room, "-p", "pw", "-a", "waiter", "--timeout", "5m");
        CliRunner.Running listening = cli.start("listen", "-u", room, "-p", "pw", "-a", "listener");
        await().atMost(10, SECONDS).until(() -> {
            String who = cli.run("who", "-u", room, "-p", "pw").out();
            return who.contains("● waiter") && who.contains("● listener");
        });

        CliRunner.Result notHost = cli.run("room", "retro", "--end", "-u", server.url(), "--host-key", "not-the-key");
        assertEquals(ExitCodes.FAILURE, notHost.code());
        assertEquals("❌ Wrong host key", notHost.err().strip());
        CliRunner.Result ended = cli.run("room", "retro", "--end", "-u", server.url(), "--host-key", server.hostKey());
        assertEquals(0, ended.code(), ended.err());
        assertEquals("✅ Ended room retro: its messages and names are gone, and the name is free again", ended.out().strip());
        // its followers are told at once, not at the end of their wait
        assertEquals(ExitCodes.FAILURE, waiting.exit().orTimeout(10, SECONDS).join(), waiting.out());
        assertTrue(waiting.err().startsWith("❌ Room not found"), waiting.err());
        assertEquals(ExitCodes.FAILURE, listening.exit().orTimeout(10, SECONDS).join(), listening.out());
        // a stream that ends is a loss to it until its reconnection finds the room gone
        List<String> told = listening.err().lines().toList();
        assertTrue(told.get(told.size() - 1).startsWith("❌ Room not found"), listening.err());

        CliRunner.Result read = cli.run("read", "-u", room, "-p", "pw", "-a", "b");
        assertEquals(ExitCodes.FAILURE, read.code());
        assertTrue(read.err().startsWith("❌ Room not found: no room at " + room), read.err());
        assertFalse(cli.run("rooms", "-u", server.url(), "--host-key", server.hostKey()).out().contains("retro"));
        CliRunner.Result again = cli.run("room", "retro", "--end", "-u", server.url(), "--host-key", server.hostKey(), "--json");
        assertEquals(ExitCodes.FAILURE, again.code());
        assertTrue(again.err().startsWith("❌ Room not found"), again.err());
    }

    @Test
    void creatingWithoutTheRightHostKeySaysWhichKeyToGive() {
        CliRunner.Result without = cli.run("room", "new-room", "-u", server.url(), "-p", "pw2");
        assertEquals(ExitCodes.FAILURE, without.code());
        assertTrue(without.err().contains("--host-key KEY or AGENT_CHAT_HOST_KEY"), without.err());

        CliRunner.Result wrong = cli.run("room", "new-room", "-u", server.url(), "-p", "pw2", "--host-key", "not-the-key");
        assertEquals(ExitCodes.FAILURE, wrong.code());
        assertEquals("❌ Wrong host key", wrong.err().strip());

        CliRunner.Result read = cli.run("read", "-u", server.url() + "/rooms/new-room", "-p", "pw2", "-a", "x");
        assertTrue(read.err().contains("Room not found"), "nothing was created: " + read.err());
    }

    @Test
    void onAServerWithOpenRoomsAnyoneWithAPasswordCreatesOne() {
        try (TestRoom open = TestRoom.start(Map.of("agent-chat.rooms.open", true))) {
            CliRunner.Result created = cli.run("room", "anyone", "-u", open.url(), "-p", "their-pw");
            assertEquals(0, created.code(), created.err());
            assertTrue(created.out().startsWith("✅ Created room anyone"), created.out());
            assertEquals(0, cli.run("send", "-u", open.url() + "/rooms/anyone", "-p", "their-pw", "-a", "a", "-m", "hi").code());
        }
    }

    @Test
    void aRoomNameTheServerWouldRefuseIsAUsageError() {
        CliRunner.Result result = cli.run("room", "design review", "-u", server.url(), "-p", "pw2", "--host-key", server.hostKey());
        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Invalid room name 'design review': room names are 1-64 ASCII letters, digits, '-' or '_'"), result.err());
    }

    @Test
    void guestsWithTheRoomsObserverPasswordReadButCannotPost() {
        CliRunner.Result created = cli.run("room", "watched", "-u", server.url(), "-p", "room-pw",
            "--host-key", server.hostKey(), "--observer-password", "regardé");
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains(server.url() + "/rooms/watched/ with the observer password regardé"), created.out());
        String room = server.url() + "/rooms/watched";
        assertEquals(0, cli.run("send", "-u", room, "-p", "room-pw", "-a", "host", "-m", "hello guests").code());

        CliRunner.Result read = cli.run("read", "-u", room, "-p", "regardé", "-a", "guest");
        assertEquals(0, read.code(), read.err());
        assertTrue(read.out().contains("host: hello guests"), read.out());
        CliRunner.Result post = cli.run("send", "-u", room, "-p", "regardé", "-a", "guest", "-m", "may I?");
        assertEquals(ExitCodes.FAILURE, post.code());
        assertFalse(post.err().isBlank());

        // the room exists: a new observer password would not be taken, and the host is told so
        CliRunner.Result again = cli.run("room", "watched", "-u", server.url(), "-p", "room-pw",
            "--host-key", server.hostKey(), "--observer-password", "nouveau", "--json");
        assertEquals(0, again.code(), again.err());
        assertEquals("⚠️ Room watched already exists: its observer password stays the one it was created with "
            + "(--observer-password is for creating a room)", again.err().strip());
        assertEquals(ExitCodes.FAILURE, cli.run("read", "-u", room, "-p", "nouveau", "-a", "guest").code());
    }

    @Test
    void aRoomWhosePasswordsAreNotAllDifferentIsAUsageErrorBeforeAnyRequest() {
        for (String[] passwords : new String[][] {{"-p", server.hostKey()}, {"-p", "same", "--observer-password", "same"},
            {"-p", "pw3", "--observer-password", server.hostKey()}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("room", "twins", "-u", server.url(),
                "--host-key", server.hostKey()));
            args.addAll(java.util.List.of(passwords));
            CliRunner.Result result = cli.run(args.toArray(String[]::new));

            assertEquals(ExitCodes.USAGE, result.code(), result.err());
            assertTrue(result.err().startsWith("❌ The room's password, its --observer-password and the host key must all differ"),
                result.err());
        }
        assertEquals(ExitCodes.FAILURE, cli.run("read", "-u", server.url() + "/rooms/twins", "-p", "same", "-a", "x").code(),
            "no room was made");
    }
}
