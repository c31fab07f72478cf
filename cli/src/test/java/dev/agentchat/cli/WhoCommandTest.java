package dev.agentchat.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WhoCommandTest {
    @TempDir
    static Path state;
    static CliRunner cli;
    TestRoom room;

    @BeforeAll
    static void start() {
        cli = new CliRunner(state);
    }

    @AfterAll
    static void stop() {
        cli.close();
    }

    @BeforeEach
    void room() {
        room = TestRoom.start();
    }

    @AfterEach
    void closeRoom() {
        room.close();
    }

    @Test
    void whoShowsListenersOnlineWaitingAndHowFarTheyReadAndSpeakersWithTheirLastSeenTime() {
        room.post("alice", "hello");
        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "-a", "bob", "--count", "2");
        await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);

        CliRunner.Result result = cli.run("who", "-u", room.url(), "-p", "pw");

        assertEquals(0, result.code(), result.err());
        String[] lines = result.lines();
        assertEquals("● bob    online (1 connection), waiting, read #1, held by an agent", lines[0]);
        assertTrue(lines[1].matches("○ alice  last seen \\d\\d:\\d\\d:\\d\\d"), lines[1]);
        room.post("alice", "bye");
        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
    }

    @Test
    void whoShowsANameTheHostKickedAsRemovedUntilWhenAndItsJsonCarriesBlockedUntil() {
        room.post("spammer", "buy now");
        room.post("alice", "hello");
        CliRunner.Result kicked = cli.run("kick", "-u", room.url(), "--host-key", room.hostKey(), "spammer");
        assertEquals(0, kicked.code(), kicked.err());
        String until = kicked.out().replaceAll("(?s).*blocked until (\\d\\d:\\d\\d:\\d\\d).*", "$1");

        CliRunner.Result who = cli.run("who", "-u", room.url(), "-p", "pw");
        CliRunner.Result json = cli.run("who", "-u", room.url(), "-p", "pw", "--json");

        assertEquals(0, who.code(), who.err());
        assertTrue(List.of(who.lines()).contains("○ spammer  removed by the host until " + until), who.out());
        assertTrue(List.of(who.lines()).stream().anyMatch(line -> line.matches("○ alice    last seen \\d\\d:\\d\\d:\\d\\d")),
            who.out());
        assertEquals(0, json.code(), json.err());
        String spammer = List.of(json.lines()).stream().filter(line -> line.contains("\"name\":\"spammer\"")).findFirst()
            .orElseThrow(() -> new AssertionError(json.out()));
        assertTrue(spammer.matches(".*\"blocked_until\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+\".*"), spammer);
        assertTrue(List.of(json.lines()).stream().filter(line -> line.contains("\"name\":\"alice\""))
            .noneMatch(line -> line.contains("blocked_until")), json.out());
    }

    @Test
    void whoInARoomThatIsGoneOrAtAUrlWithNoRoomSaysSoAsEveryCommandDoes() {
        CliRunner.Result gone = cli.run("who", "-u", room.url() + "/rooms/nosuch", "-p", "pw");
        CliRunner.Result nowhere = cli.run("who", "-u", room.url() + "/nope", "-p", "pw");

        assertEquals(1, gone.code());
        assertTrue(gone.err().startsWith("❌ Room not found"), gone.err());
        assertEquals(1, nowhere.code());
        assertTrue(nowhere.err().contains("no agent-chat room at"), nowhere.err());
    }

    @Test
    void aNameGivenToWhoOrSeenIsAUsageMistakeThatSaysToLeaveItOut() {
        CliRunner.Result who = cli.run("who", "-u", room.url(), "-p", "pw", "-a", "coder");
        // seen takes a message id: the name after -a must not read as a bad id only
        CliRunner.Result seen = cli.run("seen", "-u", room.url(), "-p", "pw", "-a", "coder", "1");

        assertEquals(2, who.code());
        assertTrue(who.err().contains("'who' does not act as a name: leave out -a/--agent-name.\n"), who.err());
        assertEquals("", who.out());
        assertEquals(2, seen.code());
        assertTrue(seen.err().contains("'seen' does not act as a name: leave out -a/--agent-name.\n"), seen.err());
        assertEquals("", seen.out());
    }

    @Test
    void whoJsonIsOneObjectPerAgent() {
        room.post("carol", "hi");

        CliRunner.Result result = cli.run("who", "-u", room.url(), "-p", "pw", "--json");

        assertEquals(0, result.code());
        assertTrue(result.out().contains("{\"name\":\"carol\",\"online\":false,\"last_seen\":\""), result.out());
    }

    @Test
    void whoShowsWhoHoldsTheirNameAndWhomTheHostMuted() {
        room.post("loud", "spam");
        CliRunner.Result muted = cli.run("mute", "-u", room.url(), "--host-key", room.hostKey(), "loud");
        assertEquals(0, muted.code(), muted.err());
        CliRunner.Result joined = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "reviewer", "--human", "-m", "looking");
        assertEquals(0, joined.code(), joined.err());

        CliRunner.Result who = cli.run("who", "-u", room.url(), "-p", "pw");
        CliRunner.Result json = cli.run("who", "-u", room.url(), "-p", "pw", "--json");

        assertEquals(0, who.code(), who.err());
        assertTrue(List.of(who.lines()).stream().anyMatch(line -> line.matches("○ loud +last seen \\d\\d:\\d\\d:\\d\\d, muted")),
            who.out());
        assertTrue(List.of(who.lines()).stream().anyMatch(line -> line.matches("[●○] reviewer .*, held by a person")), who.out());
        assertTrue(json.out().contains("\"verified\":true,\"kind\":\"human\",\"muted\":false"), json.out());
        assertTrue(json.out().contains("\"verified\":false,\"muted\":true"), json.out());
    }
}
