package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import dev.agentchat.client.testkit.FaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenCommandTest {
    @TempDir
    static Path state;
    static CliRunner cli;
    TestRoom room;

    @BeforeAll
    static void cli() {
        cli = new CliRunner(state);
    }

    @AfterAll
    static void close() {
        cli.close();
    }

    @BeforeEach
    void room() {
        room = TestRoom.start();
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        room.close();
    }

    @Test
    void listenPrintsTheHistoryThenNewMessagesInTheOriginalFormat() {
        room.post("alice", "first");
        room.post("bob", "second");

        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "--count", "3");
        await().atMost(10, SECONDS).until(() -> listen.lines().length == 2);
        room.post("alice", "third");

        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
        assertTexts(listen.lines(), "alice: first", "bob: second", "alice: third");
        assertEquals("👂 Listening to " + room.url() + "...\n", listen.err());
    }

    @Test
    void countZeroPrintsTheNewestAndExitsAndANegativeCountIsAMistake() {
        room.post("alice", "first");
        room.post("bob", "second");

        CliRunner.Result newest = cli.run("listen", "-u", room.url(), "-p", "pw", "--last", "1", "--count", "0");
        assertEquals(0, newest.code(), newest.err());
        assertTexts(newest.lines(), "bob: second");

        CliRunner.Result negative = cli.run("listen", "-u", room.url(), "-p", "pw", "--count", "-1");
        assertEquals(2, negative.code());
        assertEquals("", negative.out());
        assertTrue(negative.err().contains("--count must be 0 or more"), negative.err());
    }

    @Test
    void mentionsShowOnlyMessagesThatConcernTheAgent() {
        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "-a", "bob", "--mentions", "--count", "2");
        await().atMost(10, SECONDS).until(() -> listen.err().contains("Listening"));
        room.post("alice", "hello everyone");
        room.post("alice", "@bob can you look?");
        room.post("carol", "mail bob@example.com");
        room.client().send("alice", "addressed", List.of("bob"), null);

        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
        assertTexts(listen.lines(), "alice: @bob can you look?", "alice → bob: addressed");
    }

    @Test
    void mentionsFindANameInAnyScript() {
        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "-a", "エージェント", "--mentions", "--count", "2");
        await().atMost(10, SECONDS).until(() -> listen.err().contains("Listening"));
        room.post("alice", "@エージェントB is someone else");
        room.post("alice", "@エージェント, can you look?");
        room.post("carol", "mail エージェント@example.com");
        room.post("carol", "thanks 「@エージェント」");  // courtesy: does not wake a wait for mentions
        room.post("carol", "look 「@エージェント」");

        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
        assertTexts(listen.lines(), "alice: @エージェント, can you look?", "carol: look 「@エージェント」");
    }

    @Test
    void pollTransportDeliversTheSameMessages() {
        room.post("alice", "before");
        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "--transport", "poll", "--count", "2");
        await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);
        room.post("bob", "after");

        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
        assertTexts(listen.lines(), "alice: before", "bob: after");
    }

    @Test
    void autoFallsBackToLongPollWhenAProxyBlocksTheStream() throws Exception {
        try (FaultProxy proxy = blockingProxy()) {
            room.post("alice", "before");
            CliRunner.Running listen = cli.start("listen", "-u", proxy.url(), "-p", "pw", "--count", "2");
            await().atMost(10, SECONDS).until(() -> listen.lines().length == 1);
            room.post("bob", "after");

            assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
            assertTexts(listen.lines(), "alice: before", "bob: after");
            assertTrue(listen.err().contains("⚠️ Streaming unavailable (the stream answered HTTP 502); using long-poll"), listen.err());
        }
    }

    @Test
    void aFullServerIsReportedOnceAndTheListenerJoinsWhenASlotFrees() throws Exception {
        try (TestRoom full = TestRoom.start(Map.of("agent-chat.limits.streams-total", 1))) {
            HttpResponse<InputStream> occupant = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(full.url() + "/messages/stream")).header("X-Room-Password", "pw").build(),
                HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, occupant.statusCode());

            CliRunner.Running listen = cli.start("listen", "-u", full.url(), "-p", "pw", "--count", "1");
            await().atMost(10, SECONDS).until(() -> listen.err().contains(
                "⚠️ Connection lost (HTTP 503: The server has too many open connections"));
            occupant.body().close();
            await().atMost(30, SECONDS).until(() -> listen.err().contains("🔄 Reconnected"));
            full.post("alice", "room at last");

            assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
            assertTexts(listen.lines(), "alice: room at last");
            assertEquals(1, listen.err().split("Connection lost", -1).length - 1, listen.err());
        }
    }

    @Test
    void sseTransportReportsABlockedStreamInsteadOfFallingBack() throws Exception {
        try (FaultProxy proxy = blockingProxy()) {
            CliRunner.Result result = cli.run("listen", "-u", proxy.url(), "-p", "pw", "--transport", "sse");

            assertEquals(ExitCodes.FAILURE, result.code());
            assertTrue(result.err().endsWith("❌ Cannot stream from " + proxy.url() + ": the stream answered HTTP 502\n"), result.err());
        }
    }

    @Test
    void repliesAndIdsAreShownCompactly() {
        long question = room.post("alice", "ready?");
        room.client().send("bob", "yes", null, question);

        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "--ids", "--count", "2");

        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
        assertTexts(listen.lines(), "#" + question + " alice: ready?", "#" + (question + 1) + " bob ↩#" + question + ": yes");
    }

    @Test
    void jsonPrintsOneObjectPerMessage() {
        long id = room.post("alice", "line one\nline two");

        CliRunner.Running listen = cli.start("listen", "-u", room.url(), "-p", "pw", "--json", "--count", "1");

        assertEquals(0, listen.exit().orTimeout(10, SECONDS).join());
        assertTrue(listen.out().matches("\\{\"id\":" + id + ",\"agent\":\"alice\",\"text\":\"line one\\\\nline two\","
            + "\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00\",\"kind\":\"agent\",\"verified\":false}\n"), listen.out());
    }

    @Test
    void wrongPasswordStopsListenAtOnce() {
        CliRunner.Result result = cli.run("listen", "-u", room.url(), "-p", "nope");

        assertEquals(ExitCodes.FAILURE, result.code());
        assertTrue(result.err().endsWith("❌ Invalid password\n"), result.err());
    }

    @Test
    void joinPrintsTheHistoryTheEndMarkerAndItsOwnJoinMessageWhichCountDoesNotCount() {
        room.post("alice", "earlier");

        CliRunner.Running join = cli.start("join", "-u", room.url(), "-p", "pw", "-a", "carol", "--count", "1");
        await().atMost(10, SECONDS).until(() -> join.lines().length == 3);
        room.post("alice", "welcome carol");

        assertEquals(0, join.exit().orTimeout(10, SECONDS).join());
        String[] lines = join.lines();
        assertEquals("--- end of history ---", lines[1]);
        assertTexts(new String[] {lines[0], lines[2], lines[3]}, "alice: earlier", "carol: *joined the chat*", "alice: welcome carol");
        assertEquals("🤖 Joining as carol...\n", join.err());
    }

    @Test
    void joinWithTheObserverPasswordFollowsWithoutAnnouncingItselfAndSaysItOnlyReads() {
        try (TestRoom watched = TestRoom.start(Map.of("agent-chat.observer-password", "just-looking"))) {
            watched.post("alice", "earlier");

            CliRunner.Running join = cli.start("join", "-u", watched.url(), "-p", "just-looking", "-a", "watcher", "--count", "1");
            await().atMost(10, SECONDS).until(() -> join.lines().length == 2);
            watched.post("alice", "later");

            assertEquals(0, join.exit().orTimeout(10, SECONDS).join(), join.err());
            String[] lines = join.lines();
            assertEquals("--- end of history ---", lines[1]);
            assertTexts(new String[] {lines[0], lines[2]}, "alice: earlier", "alice: later");
            assertEquals("🤖 Joining as watcher...\n👀 The observer password only reads: it cannot post or change anything; "
                + "following the room without announcing watcher\n", join.err());
            // nothing was posted for it: the room holds the two messages alone
            assertEquals(List.of("earlier", "later"), watched.client().history().stream().map(m -> m.getText()).toList());
        }
    }

    @Test
    void joinOfAnEmptyRoomPrintsNoEndMarker() {
        CliRunner.Running join = cli.start("join", "-u", room.url(), "-p", "pw", "-a", "carol", "--count", "1");
        await().atMost(10, SECONDS).until(() -> join.lines().length == 1);
        room.post("alice", "hi carol");

        assertEquals(0, join.exit().orTimeout(10, SECONDS).join());
        assertTexts(join.lines(), "carol: *joined the chat*", "alice: hi carol");
    }

    /** A proxy that forwards everything but the event stream, which it refuses with an HTML page (like some corporate proxies). */
    private FaultProxy blockingProxy() {
        FaultProxy proxy = FaultProxy.start(URI.create(room.url()));
        proxy.refuseStream(502, "text/html", "<html><body>Streaming is not allowed here</body></html>");
        return proxy;
    }

    /** Each line is "[HH:MM:SS] " followed by the expected text, in order, and nothing else. */
    static void assertTexts(String[] lines, String... expected) {
        String[] texts = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].matches("\\[\\d\\d:\\d\\d:\\d\\d] .*"), lines[i]);
            texts[i] = lines[i].substring(11);
        }
        assertArrayEquals(expected, texts, String.join("\n", lines));
    }
}
