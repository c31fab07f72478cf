package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.client.testkit.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI claims its name, keeps it across runs, refuses names held by others, and stops when kicked. */
class NamesCliTest {
    @TempDir
    Path state;
    @TempDir
    Path otherState;

    private TestRoom room;
    private CliRunner cli;

    @BeforeEach
    void start() {
        room = TestRoom.start();
        cli = new CliRunner(state);
    }

    @AfterEach
    void stop() {
        room.close();
    }

    @Test
    void aTeamBackAfterARestartClaimsItsNamesAgainWithoutSpendingItsAddresssWrongPasswords() {
        try (TestRoom strict = TestRoom.start(Map.of("agent-chat.limits.password-failure-burst", 1,
            "agent-chat.limits.password-failure-refill", "1h"))) {
            List<String> team = List.of("planner", "w1", "w2", "w3");
            for (String agent : team) {
                assertEquals(0, cli.run("send", "-u", strict.url(), "-p", TestRoom.PASSWORD, "-a", agent, "-m", "hi").code());
            }
            strict.stop();
            strict.restart();
            // every agent comes back with the token the old server gave it, all from one address
            for (String agent : team) {
                CliRunner.Result read = cli.run("read", "-u", strict.url(), "-p", TestRoom.PASSWORD, "-a", agent);
                assertEquals(0, read.code(), agent + ": " + read.err());
                CliRunner.Result send = cli.run("send", "-u", strict.url(), "-p", TestRoom.PASSWORD, "-a", agent, "-m", "back");
                assertEquals(0, send.code(), agent + ": " + send.err());
            }
        }
    }

    @Test
    void sendClaimsTheNameKeepsItAcrossRunsAndNobodyElseCanPostUnderIt() throws Exception {
        CliRunner.Result first = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "one");
        assertEquals(0, first.code(), first.err());
        CliRunner.Result second = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "two");
        assertEquals(0, second.code(), second.err());
        String history = http("GET", "/messages", null, "X-Room-Password", TestRoom.PASSWORD).body();
        assertTrue(history.contains("\"agent\":\"coder\",\"text\":\"one\""), history);
        assertTrue(history.contains("\"verified\":true"), history);

        // a spoof attempt from a second client with the password alone
        HttpResponse<String> spoof = http("POST", "/messages", "{\"agent\":\"coder\",\"text\":\"I am coder\"}",
            "X-Room-Password", TestRoom.PASSWORD);
        assertEquals(403, spoof.statusCode());
        // and from a second CLI user (its own state, so no token)
        CliRunner.Result other = new CliRunner(otherState).run("send", "-u", room.url(), "-p", TestRoom.PASSWORD,
            "-a", "Coder", "-m", "I am coder too");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("held by someone else"), other.err());
        assertTrue(other.err().contains("not sent"), other.err());
        assertFalse(http("GET", "/messages", null, "X-Room-Password", TestRoom.PASSWORD).body().contains("I am coder"));
    }

    @Test
    void humanOnANameHeldAsAnAgentSaysTheMessageIsAnAgentsAndHowToPostAsAPerson() {
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "bob", "-m", "as an agent").code());
        CliRunner.Result human = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "bob", "--human", "-m", "a person?");
        assertEquals(0, human.code(), human.err());
        assertEquals("⚠️ bob is held as an agent, so the message is an agent's: to post as a person, give the name up "
            + "(agent-chat leave -a bob) and send with --human again, or use another name", human.err().strip());

        CliRunner.Result person = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "pat", "--human", "-m", "a person");
        assertEquals("", person.err().strip(), "a name held as a person posts as one, without a warning");
    }

    @Test
    void aSavedTokenTheRestartedRoomNoLongerKnowsIsReplacedByANewClaimAndNothingIsLost() throws Exception {
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "before").code());
        room.stop();
        room.restart();

        CliRunner.Result send = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "after");
        CliRunner.Result read = cli.run("read", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder");

        assertEquals(0, send.code(), send.err());
        assertEquals(0, read.code(), read.err());
        String history = http("GET", "/messages", null, "X-Room-Password", TestRoom.PASSWORD).body();
        assertTrue(history.contains("\"agent\":\"coder\",\"text\":\"after\""), history);
        assertTrue(history.contains("\"verified\":true"), history);
        assertTrue(read.out().contains("coder (you): after"), read.out());
        // and the new token is the one kept: another user still cannot take the name
        CliRunner.Result other = new CliRunner(otherState).run("send", "-u", room.url(), "-p", TestRoom.PASSWORD,
            "-a", "coder", "-m", "mine now");
        assertEquals(1, other.code());
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "still mine").code());
    }

    @Test
    void aListenHoldingANameFollowsARestartedRoomAndClaimsTheNameAgain() {
        // the history's one message, then the new room's two
        followsARestartedRoomAndClaimsTheNameAgain("listen", "--count", "3");
    }

    @Test
    void aJoinFollowsARestartedRoomAndClaimsTheNameAgain() {
        // the new room's two (its own "joined" message is shown, not counted)
        followsARestartedRoomAndClaimsTheNameAgain("join", "--count", "2");
    }

    @Test
    void aWrongPasswordStillStopsAListenHoldingANameAtOnce() {
        CliRunner.Result wrong = withAWrongPassword("listen", "coder");

        assertEquals(1, wrong.code(), wrong.err());
        assertTrue(wrong.err().endsWith("❌ Invalid password\n"), wrong.err());
    }

    /** {@code command} as {@code agent}, a name this user holds (it has posted under it), with a wrong password. */
    private CliRunner.Result withAWrongPassword(String command, String agent) {
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", agent, "-m", "mine").code());
        return cli.run(command, "-u", room.url(), "-p", "not-the-password", "-a", agent);
    }

    private void followsARestartedRoomAndClaimsTheNameAgain(String... command) {
        room.post("alice", "old one");
        List<String> args = new java.util.ArrayList<>(List.of(command));
        args.addAll(List.of("-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder"));
        CliRunner.Running follower = cli.start(args.toArray(String[]::new));
        await().atMost(15, SECONDS).until(() -> followsHoldingTheName("coder"));

        room.stop();
        await().atMost(15, SECONDS).until(() -> follower.err().contains("Connection lost"));
        room.restart();
        // the new room knows none of the old tokens: the follower's is refused, and it claims the name anew
        await().atMost(30, SECONDS).until(() -> followsHoldingTheName("coder") || follower.exit().isDone());
        assertFalse(follower.exit().isDone(), "stopped instead of following: " + follower.err());
        room.post("bob", "new one");
        room.post("bob", "new two");

        assertEquals(0, follower.exit().orTimeout(30, SECONDS).join(), follower.err());
        assertTrue(follower.out().contains("bob: new one") && follower.out().contains("bob: new two"), follower.out());
        assertTrue(follower.err().contains("🔄 The room was restarted; following it from its beginning"), follower.err());
        assertFalse(follower.err().contains("❌"), follower.err());
        // held, not just used: the password alone cannot post under it, and the saved token is the new one
        HttpResponse<String> spoof = http("POST", "/messages", "{\"agent\":\"coder\",\"text\":\"I am coder\"}",
            "X-Room-Password", TestRoom.PASSWORD);
        assertEquals(403, spoof.statusCode(), spoof.body());
        CliRunner.Result send = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "still mine");
        assertEquals(0, send.code(), send.err());
        assertTrue(http("GET", "/messages", null, "X-Room-Password", TestRoom.PASSWORD).body()
            .matches("(?s).*\"agent\":\"coder\",\"text\":\"still mine\"[^}]*\"verified\":true.*"));
    }

    /** Whether the room shows {@code name} online (following) and held (claimed with a token). */
    private boolean followsHoldingTheName(String name) {
        try {
            return http("GET", "/agents", null, "X-Room-Password", TestRoom.PASSWORD).body()
                .matches("(?s).*\\{\"name\":\"" + name + "\",\"online\":true[^}]*\"verified\":true.*");
        } catch (IllegalStateException e) {
            return false; // the room is restarting
        }
    }

    @Test
    void aWrongPasswordIsRefusedEvenWhenTheNamesSavedTokenWouldBeEnough() {
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "one").code());

        CliRunner.Result wrong = cli.run("send", "-u", room.url(), "-p", "not-the-password", "-a", "coder", "-m", "two");

        assertEquals(1, wrong.code(), wrong.err());
        assertEquals("❌ Invalid password\n", wrong.err());
        assertFalse(http("GET", "/messages", null, "X-Room-Password", TestRoom.PASSWORD).body().contains("\"two\""));
        CliRunner.Result right = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "three");
        assertEquals(0, right.code(), right.err());
    }

    @Test
    void theHostKeyGivenAsThePasswordIsToldWhereItGoes() {
        CliRunner.Result misplaced = cli.run("send", "-u", room.url(), "-p", room.hostKey(), "-a", "coder", "-m", "hi");

        assertEquals(1, misplaced.code(), misplaced.err());
        assertEquals("❌ This is the host key, not the room password: the host's commands (room, rooms, kick, mute,"
            + " unmute, topic, brake) take it as --host-key; the others need the room password (-p)\n", misplaced.err());
        CliRunner.Result asKey = cli.run("topic", "-u", room.url(), "--host-key", room.hostKey(), "keys go here");
        assertEquals(0, asKey.code(), asKey.err());
    }

    @Test
    void theNameIsKeptWhenTheSameServerIsReachedUnderAnotherAddress() {
        String other = room.url().contains("localhost") ? room.url().replace("localhost", "127.0.0.1")
            : room.url().replace("127.0.0.1", "localhost");
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "one").code());

        CliRunner.Result elsewhere = cli.run("send", "-u", other, "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "two");

        assertEquals(0, elsewhere.code(), elsewhere.err());
        String history = http("GET", "/messages", null, "X-Room-Password", TestRoom.PASSWORD).body();
        assertTrue(history.contains("\"agent\":\"coder\",\"text\":\"two\""), history);
    }

    @Test
    void theNameAndTheCursorFollowTheRoomToAnAddressOfAnotherPort() {
        // as a tunnel that came back under a new address, or another instance sharing the room's Redis
        try (FaultProxy elsewhere = FaultProxy.start(URI.create(room.url()))) {
            assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "one").code());
            room.post("planner", "read before the move");
            assertEquals(0, cli.run("read", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder").code());
            room.post("planner", "news after the move");

            CliRunner.Result read = cli.run("read", "-u", elsewhere.url(), "-p", TestRoom.PASSWORD, "-a", "coder");
            CliRunner.Result send = cli.run("send", "-u", elsewhere.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "two");

            assertEquals(0, read.code(), read.err());
            assertTrue(read.out().contains("news after the move") && !read.out().contains("read before the move"), read.out());
            assertEquals(0, send.code(), send.err());
            String agents = http("GET", "/agents", null, "X-Room-Password", TestRoom.PASSWORD).body();
            assertFalse(agents.contains("coder-"), "no second name: " + agents);
        }
    }

    @Test
    void aHostWrittenInOtherLetterCaseKeepsTheNameAndTheCursor() {
        String upper = room.url().replace("localhost", "LOCALHOST");
        assertFalse(upper.equals(room.url()), "the test room is at localhost: " + room.url());
        assertEquals(0, cli.run("topic", "-u", room.url(), "--host-key", room.hostKey(), "the room's topic").code());
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "bob", "-m", "hi").code());

        CliRunner.Result read = cli.run("read", "-u", upper, "-p", TestRoom.PASSWORD, "-a", "bob");
        CliRunner.Result again = cli.run("read", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "bob");

        assertEquals(0, read.code(), read.err());
        assertTrue(read.out().contains("the room's topic") && read.out().contains("bob (you): hi"), read.out());
        assertEquals(0, again.code(), again.err());
        assertEquals("", again.out(), "the cursor saved under LOCALHOST is localhost's: no topic, nothing new");
    }

    @Test
    void commandsStartedTogetherOnFirstUseAllHoldTheName() throws Exception {
        Map<String, String> env = Map.of("XDG_STATE_HOME", state.toString(), "AGENT_CHAT_URL", room.url(),
            "AGENT_CHAT_PASSWORD", TestRoom.PASSWORD, "AGENT_CHAT_NAME", "racer");
        List<CliProcess> commands = List.of(CliProcess.start(env, null, "send", "-m", "first"),
            CliProcess.start(env, null, "send", "-m", "second"), CliProcess.start(env, null, "read"));
        for (CliProcess command : commands) {
            try (command) {
                assertEquals(0, command.waitFor(60), command.err());
            }
        }
        String history = http("GET", "/messages", null, "X-Room-Password", TestRoom.PASSWORD).body();
        assertTrue(history.contains("\"text\":\"first\"") && history.contains("\"text\":\"second\""), history);
    }

    @Test
    void anObserverReadsAndWaitsUnderANameItDoesNotHold() {
        try (TestRoom watched = TestRoom.start(Map.of("agent-chat.observer-password", "just-looking"))) {
            watched.post("host", "something to read");

            CliRunner.Result read = cli.run("read", "-u", watched.url(), "-p", "just-looking", "-a", "watcher");
            CliRunner.Result send = cli.run("send", "-u", watched.url(), "-p", "just-looking", "-a", "watcher", "-m", "hi");

            assertEquals(0, read.code(), read.err());
            assertTrue(read.out().contains("host: something to read"), read.out());
            assertEquals(1, send.code());
            assertTrue(send.err().contains("only reads"), send.err());
        }
    }

    @Test
    void withTheObserverPasswordATokenSavedWithTheRoomPasswordIsNotUsedAndEveryWriteIsRefused() {
        try (TestRoom watched = TestRoom.start(Map.of("agent-chat.observer-password", "just-looking"))) {
            CliRunner.Result member = cli.run("send", "-u", watched.url(), "-p", TestRoom.PASSWORD, "-a", "watcher",
                "-m", "as a member");
            assertEquals(0, member.code(), member.err());

            for (int i = 0; i < 2; i++) { // a second time too: the token was not taken as the observer password's
                CliRunner.Result send = cli.run("send", "-u", watched.url(), "-p", "just-looking", "-a", "watcher",
                    "-m", "as an observer");
                assertEquals(1, send.code(), send.err());
                assertEquals("❌ The observer password only reads: it cannot post or change anything", send.err().strip());
            }
            CliRunner.Result leave = cli.run("leave", "-u", watched.url(), "-p", "just-looking", "-a", "watcher");
            CliRunner.Result read = cli.run("read", "-u", watched.url(), "-p", "just-looking", "-a", "watcher");

            assertEquals(1, leave.code(), leave.out());
            assertEquals("❌ The observer password only reads: it cannot post or change anything", leave.err().strip());
            assertEquals(0, read.code(), read.err());
            assertTrue(read.out().contains(": as a member"), read.out());
            assertEquals(List.of("as a member"), watched.client().history().stream()
                .map(dev.agentchat.client.model.Message::getText).toList());
            // the name is still held with the room password
            CliRunner.Result again = cli.run("send", "-u", watched.url(), "-p", TestRoom.PASSWORD, "-a", "watcher",
                "-m", "still mine");
            assertEquals(0, again.code(), again.err());
            assertTrue(watched.client().history().stream().allMatch(m -> Boolean.TRUE.equals(m.getVerified())));
        }
    }

    @Test
    void aKickedListenStopsWithAClearLineInsteadOfReconnecting() {
        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "victim");
        await().atMost(15, SECONDS).until(() -> http("GET", "/agents", null, "X-Room-Password", TestRoom.PASSWORD).body()
            .contains("\"name\":\"victim\",\"online\":true"));

        CliRunner.Result kicked = cli.run("kick", "-u", room.url(), "--host-key", room.hostKey(), "victim");
        assertEquals(0, kicked.code(), kicked.err());
        assertTrue(kicked.out().matches("👢 Kicked victim; the name is blocked until \\d\\d:\\d\\d:\\d\\d\n"), kicked.out());

        String until = kicked.out().replaceAll("(?s).*blocked until (\\d\\d:\\d\\d:\\d\\d).*", "$1");

        int code = listen.exit().orTimeout(30, SECONDS).join();
        assertEquals(1, code, listen.err());
        // the words every command uses for a kicked holder
        assertTrue(listen.err().contains("❌ The host removed 'victim' from this room; the name is blocked until " + until),
            listen.err());
        // the stream said why it ended: no "Connection lost … reconnecting" before that line
        assertFalse(listen.err().contains("Connection lost"), listen.err());

        room.post("host", "after the kick");
        CliRunner.Result again = cli.run("read", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "victim");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("removed"), again.err());
        assertTrue(again.err().contains("❌ The host removed 'victim' from this room; the name is blocked until " + until),
            again.err());
        assertEquals("", again.out(), "a removed name is shown nothing");
        CliRunner.Result fresh = new CliRunner(otherState).run("read", "-u", room.url(), "-p", TestRoom.PASSWORD,
            "-a", "victim");
        assertEquals(1, fresh.code());
        assertEquals("", fresh.out(), "not even to another user taking the blocked name");
    }

    @Test
    void aWaitKickedWhileItWaitsSaysWhatEveryCommandSays() {
        assertEquals(0, cli.run("read", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "waiter").code());
        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "waiter", "--timeout", "60");
        await().atMost(15, SECONDS).until(() -> http("GET", "/agents", null, "X-Room-Password", TestRoom.PASSWORD).body()
            .contains("\"name\":\"waiter\",\"online\":true"));

        CliRunner.Result kicked = cli.run("kick", "-u", room.url(), "--host-key", room.hostKey(), "waiter");
        String until = kicked.out().replaceAll("(?s).*blocked until (\\d\\d:\\d\\d:\\d\\d).*", "$1");

        assertEquals(1, wait.exit().orTimeout(30, SECONDS).join(), wait.err());
        assertEquals("❌ The host removed 'waiter' from this room; the name is blocked until " + until, wait.err().strip());
    }

    @Test
    void theHostMutesAndUnmutesWithTheHostKeyAndOnlyWithIt() {
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "loud", "-m", "hi").code());
        CliRunner.Result noKey = cli.run("mute", "-u", room.url(), "--host-key", "wrong-key", "loud");
        assertEquals(1, noKey.code());
        CliRunner.Result muted = cli.run("mute", "-u", room.url(), "--host-key", room.hostKey(), "loud");
        assertEquals(0, muted.code(), muted.err());
        CliRunner.Result refused = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "loud", "-m", "still here",
            "--to", "nobody-here");
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("❌ ") && refused.err().contains("muted"), "the refusal alone: " + refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertEquals(0, cli.run("unmute", "-u", room.url(), "--host-key", room.hostKey(), "loud").code());
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "loud", "-m", "back").code());
    }

    @Test
    void aNameGivenUpWithLeaveIsFreeForSomeoneElse() {
        CliRunner other = new CliRunner(otherState);
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "done here").code());
        assertEquals(1, other.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "mine?").code());

        CliRunner.Result left = cli.run("leave", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder");

        assertEquals(0, left.code(), left.err());
        assertEquals("👋 coder is free again in this room", left.out().strip());
        CliRunner.Result taken = other.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "mine now");
        assertEquals(0, taken.code(), taken.err());
        CliRunner.Result again = cli.run("leave", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "--json");
        assertEquals(0, again.code(), again.err());
        assertEquals("{\"agent\":\"coder\",\"outcome\":\"not_held\"}", again.out().strip(),
            "the token was forgotten, so the new holder's claim is untouched");
        CliRunner.Result refused = cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "back?");
        assertEquals(1, refused.code(), "the name is the other user's now");
    }

    @Test
    void leaveWithNothingSavedStillTellsAnUnreachableRoomOrAWrongPasswordFromANameNotHeld() {
        // a mistyped URL looked like a name given up (exit 0)
        CliRunner.Result unreachable = cli.run("leave", "-u", "http://127.0.0.1:9", "-p", TestRoom.PASSWORD, "-a", "never");
        assertEquals(ExitCodes.UNREACHABLE, unreachable.code(), unreachable.out() + unreachable.err());
        assertTrue(unreachable.err().startsWith("❌ "), unreachable.err());
        CliRunner.Result wrong = cli.run("leave", "-u", room.url(), "-p", "not-the-password", "-a", "never");
        assertEquals(ExitCodes.FAILURE, wrong.code(), wrong.out());
        assertTrue(wrong.err().startsWith("❌ Invalid password"), wrong.err());
        CliRunner.Result notHeld = cli.run("leave", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "never", "--json");
        assertEquals(0, notHeld.code(), notHeld.err());
        assertEquals("{\"agent\":\"never\",\"outcome\":\"not_held\"}", notHeld.out().strip());
    }

    @Test
    void leaveWithAWrongPasswordIsRefusedAndKeepsTheName() {
        CliRunner.Result wrong = withAWrongPassword("leave", "keeper");

        assertEquals(1, wrong.code(), wrong.out());
        assertTrue(wrong.err().startsWith("❌ Invalid password"), wrong.err());
        assertEquals(1, new CliRunner(otherState).run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "keeper",
            "-m", "mine?").code(), "still held");
    }

    @Test
    void leavingWithATokenTheRestartedRoomNoLongerKnowsForgetsItAndOffersItToNoOtherRoom() {
        String other = room.url().contains("localhost") ? room.url().replace("localhost", "127.0.0.1")
            : room.url().replace("127.0.0.1", "localhost");
        assertEquals(0, cli.run("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder", "-m", "one").code());
        room.restart();

        CliRunner.Result elsewhere = cli.run("leave", "-u", other, "-p", TestRoom.PASSWORD, "-a", "coder", "--json");
        CliRunner.Result left = cli.run("leave", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "coder");

        assertEquals("{\"agent\":\"coder\",\"outcome\":\"not_held\"}", elsewhere.out().strip(),
            "the token saved is the room's before the restart, another room: not offered to this one");
        assertEquals(0, left.code(), left.err());
        assertTrue(left.out().startsWith("👋 Your token for coder had ended already"), left.out());
    }

    private HttpResponse<String> http(String method, String path, String body, String header, String value) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(room.url() + path)).header(header, value)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
