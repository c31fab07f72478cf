package dev.agentchat.cli;

import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.client.testkit.FaultProxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.agentchat.cli.ListenCommandTest.assertTexts;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** read and wait: one-shots with a cursor saved across invocations. */
class ReadWaitTest {
    @TempDir
    Path state;
    CliRunner cli;
    TestRoom room;

    @BeforeEach
    void start() {
        room = TestRoom.start();
        cli = new CliRunner(state);
    }

    @AfterEach
    void stop() {
        cli.close();
        room.close();
    }

    @Test
    void readPrintsTheWholeHistoryFirstThenOnlyNewerMessages() {
        long first = room.post("alice", "one");
        room.post("bob", "two");

        CliRunner.Result initial = read("coder");
        room.post("alice", "three");
        CliRunner.Result next = read("coder");
        CliRunner.Result nothing = read("coder");

        assertEquals(0, initial.code());
        assertTexts(initial.lines(), "#" + first + " alice: one", "#" + (first + 1) + " bob: two");
        assertTexts(next.lines(), "#" + (first + 2) + " alice: three");
        assertEquals(0, nothing.code());
        assertEquals("", nothing.out());
    }

    @Test
    void readAndWaitWhoseOutputCannotBeWrittenFailAndLeaveTheMessagesUnread() throws Exception {
        long first = room.post("alice", "one");
        room.post("bob", "two");
        Path xdg = state.resolve("xdg");

        Process fullRead = shellCli(xdg, new java.io.File("/dev/full"), "read");
        assertEquals(1, fullRead.waitFor(), new String(fullRead.getErrorStream().readAllBytes()));
        Process read = shellCli(xdg, null, "read");
        assertEquals(0, read.waitFor());
        assertTexts(new String(read.getInputStream().readAllBytes()).split("\n"),
            "#" + first + " alice: one", "#" + (first + 1) + " bob: two");

        room.post("alice", "three");
        Process fullWait = shellCli(xdg, new java.io.File("/dev/full"), "wait", "--timeout", "10");
        assertEquals(1, fullWait.waitFor());
        String said = new String(fullWait.getErrorStream().readAllBytes());
        assertTrue(said.startsWith("❌ The output could not be written (closed or full): the messages not shown stay unread"), said);
        Process again = shellCli(xdg, null, "read");
        assertEquals(0, again.waitFor());
        assertTexts(new String(again.getInputStream().readAllBytes()).split("\n"), "#" + (first + 2) + " alice: three");
    }

    @Test
    void aReadWhoseReaderStopsEarlyMovesItsCursorPastWhatTheOutputTookAndNoFurther() throws Exception {
        // more than a pipe holds, so that the read is still writing when its reader goes (as grep -q goes)
        String padding = "x".repeat(1000);
        long first = room.post("alice", "0 " + padding);
        for (int i = 1; i < 200; i++) {
            room.post("alice", i + " " + padding);
        }
        Path xdg = state.resolve("xdg-early");
        Process read = shellCli(xdg, null, "read");
        long seen;
        try (java.io.BufferedReader out = new java.io.BufferedReader(
            new java.io.InputStreamReader(read.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            seen = idOf(out.readLine()); // the reader takes one line and goes
        }
        assertEquals(1, read.waitFor(), new String(read.getErrorStream().readAllBytes()));

        Process rest = shellCli(xdg, null, "read");
        String[] lines = new String(rest.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertEquals(0, rest.waitFor());
        long next = idOf(lines[0]);
        assertTrue(next > seen && next < first + 199, "past what the output took, not all of it: #" + seen + ", then #" + next);
        assertEquals(first + 199 - next + 1, lines.length, "the rest once each, none twice");
        assertEquals(first + 199, idOf(lines[lines.length - 1]));
    }

    /** The id of a printed message line ({@code [12:00:00] #12 alice: ...}). */
    private static long idOf(String line) {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("#(\\d+) ").matcher(line);
        assertTrue(id.find(), line);
        return Long.parseLong(id.group(1));
    }

    /** {@code agent-chat COMMAND} as coder in its own process with its state under {@code xdg}, stdout to {@code stdout} (or a pipe). */
    private Process shellCli(Path xdg, java.io.File stdout, String... command) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), AgentChat.class.getName()));
        args.addAll(List.of(command));
        args.addAll(List.of("-u", room.url(), "-p", "pw", "-a", "coder"));
        ProcessBuilder builder = new ProcessBuilder(args);
        builder.environment().keySet().removeIf(k -> k.startsWith("AGENT_CHAT_"));
        builder.environment().put("XDG_STATE_HOME", xdg.toString());
        if (stdout != null) {
            builder.redirectOutput(stdout);
        }
        return builder.start();
    }

    @Test
    void cursorsAreKeptPerAgentAndAllIgnoresThem() {
        room.post("alice", "one");
        read("coder");

        assertEquals(1, read("reviewer").lines().length);
        assertEquals(0, read("coder").lines().length);
        assertEquals(1, cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder", "--all").lines().length);
    }

    @Test
    void cursorLivesInTheStateDirectory() throws Exception {
        room.post("alice", "one");
        read("coder");

        try (Stream<Path> files = Files.list(state.resolve("cursors"))) {
            List<Path> cursors = files.toList();
            assertEquals(1, cursors.size());
            String json = Files.readString(cursors.get(0));
            assertTrue(json.contains("\"url\":\"" + room.url() + "\"") && json.contains("\"agent\":\"coder\"")
                && json.contains("\"after\":1"), json);
        }
    }

    @Test
    void readAfterAServerRestartStartsFromTheNewRoomsBeginningAndSaysSo() {
        restartWithMoreMessagesThanCoderRead();

        CliRunner.Result result = read("coder");

        assertTexts(result.lines(), "#1 bob: new one", "#2 bob: new two", "#3 bob: new three");
        assertEquals("🔄 The room was restarted; reading it from its beginning\n", result.err());
        assertEquals("", read("coder").err(), "the restart is told once");
    }

    @Test
    void readJsonAfterAServerRestartTellsItBeforeTheNewRoomsMessages() {
        restartWithMoreMessagesThanCoderRead();

        CliRunner.Result result = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder", "--json");

        assertEquals(0, result.code(), result.err());
        String[] lines = result.lines();
        assertEquals(4, lines.length, result.out());
        assertEquals("{\"event\":\"restarted\"}", lines[0]);
        assertTrue(lines[1].contains("\"text\":\"new one\""), lines[1]);
        assertEquals("🔄 The room was restarted; reading it from its beginning\n", result.err());
    }

    @Test
    void readLastAfterAServerRestartSaysSoBeforeTheNewRoomsNewestMessages() {
        restartWithMoreMessagesThanCoderRead();

        CliRunner.Result result = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder", "--last", "2");

        assertEquals(0, result.code(), result.err());
        assertTexts(result.lines(), "#2 bob: new two", "#3 bob: new three");
        assertEquals("🔄 The room was restarted; reading it from its beginning\n", result.err());
    }

    @Test
    void readFromACursorPagesThroughMoreThanAPageOfNewMessagesEachOnceInOrder() {
        room.post("alice", "before");
        read("coder");
        RoomClient client = room.client();
        int unread = RoomClient.PAGE + 12;
        for (int i = 1; i <= unread; i++) {
            client.send("bob", "new " + i, null, null);
        }

        String[] lines = read("coder").lines();

        String[] expected = new String[unread];
        for (int i = 1; i <= unread; i++) {
            expected[i - 1] = "#" + (i + 1) + " bob: new " + i;
        }
        assertTexts(lines, expected);
        assertEquals(0, read("coder").lines().length);
    }

    @Test
    void aWaitThatOutlivesAServerRestartClaimsItsNameAgainAndGetsTheNewRoomsMessage() {
        room.post("alice", "before");
        read("coder");
        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "30");
        awaitPolling("coder");

        room.stop();
        room.restart();
        room.post("bob", "after the restart");

        assertEquals(0, wait.exit().orTimeout(30, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "#1 bob: after the restart");
        assertTrue(wait.err().contains("; still waiting\n🔄 The room was restarted; waiting from its beginning\n🔄 Reconnected\n"),
            wait.err());
        assertTrue(room.client().agents().stream().anyMatch(a -> a.getName().equals("coder")), "coder holds its name again");
    }

    @Test
    void aWaitJsonThatOutlivesAServerRestartTellsItOnStdoutBeforeTheNewRoomsMessage() {
        room.post("alice", "before");
        read("coder");
        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "30", "--json");
        awaitPolling("coder");

        room.stop();
        room.restart();
        room.post("bob", "after the restart");

        assertEquals(0, wait.exit().orTimeout(30, SECONDS).join(), wait.err());
        String[] lines = wait.lines();
        assertEquals(2, lines.length, wait.out());
        assertEquals("{\"event\":\"restarted\"}", lines[0]);
        assertTrue(lines[1].contains("\"text\":\"after the restart\""), lines[1]);
        assertTrue(wait.err().contains("🔄 The room was restarted; waiting from its beginning\n"), wait.err());
    }

    @Test
    void aWaitStartedWhileTheServerIsAwayWaitsForItWhenTheNameReadThereBefore() {
        room.post("alice", "before");
        read("coder");
        room.stop();
        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "30");
        await().atMost(10, SECONDS).until(() -> wait.err().contains("; still waiting\n"));

        room.restart();
        room.post("bob", "after the restart");

        assertEquals(0, wait.exit().orTimeout(30, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "#1 bob: after the restart");
        assertTrue(wait.err().contains("🔄 The room was restarted; waiting from its beginning\n"), wait.err());
        assertTrue(wait.err().endsWith("🔄 Reconnected\n"), wait.err());
    }

    @Test
    void aFirstWaitWithNoServerThereFailsAtOnceWithTheUnreachableCode() {
        room.stop();
        // gone, not still answering "shutting down"
        URI address = URI.create(room.url());
        await().atMost(10, SECONDS).until(() -> {
            try (Socket probe = new Socket(address.getHost(), address.getPort())) {
                return false;
            } catch (IOException refused) {
                return true;
            }
        });

        CliRunner.Result wait = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "newcomer", "--timeout", "30");

        assertEquals(ExitCodes.UNREACHABLE, wait.code(), wait.err());
        assertTrue(wait.err().startsWith("❌ Cannot reach " + room.url()), wait.err());
    }

    @Test
    void aWaitGivesUpAtItsTimeoutOnAServerThatTakesConnectionsAndNeverAnswers() throws Exception {
        // connections complete in the kernel's backlog; nothing ever reads or answers them
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CliRunner.Running wait = cli.start("wait", "-u", "http://127.0.0.1:" + silent.getLocalPort(), "-p", "pw",
                "-a", "coder", "--timeout", "2");

            // its requests would each wait 30 s: the command's own timeout cuts the first short
            assertEquals(ExitCodes.UNREACHABLE, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
            assertTrue(wait.err().contains("timed out"), wait.err());
        }
    }

    @Test
    void aWaitWhoseServerGoesAndDoesNotComeBackBeforeTheTimeoutSaysSoWithTheUnreachableCode() {
        read("coder");
        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "4");
        awaitPolling("coder");

        room.stop();

        assertEquals(ExitCodes.UNREACHABLE, wait.exit().orTimeout(30, SECONDS).join(), wait.err());
        assertTrue(wait.err().contains("; still waiting\n"), wait.err());
        assertTrue(wait.err().endsWith("❌ The server did not answer again before the timeout\n"), wait.err());
        assertEquals("", wait.out());
    }

    @Test
    void aWaitThatFindsTheRoomRestartedWhileTheServerIsStillUnavailableSaysSoWithTheUnreachableCode() {
        try (TestRoom full = TestRoom.start(OnePollSlot.SETTINGS); FaultProxy proxy = FaultProxy.start(URI.create(full.url()))) {
            full.post("alice", "before");
            cli.run("read", "-u", proxy.url(), "-p", "pw", "-a", "coder");
            CliRunner.Running wait = cli.start("wait", "-u", proxy.url(), "-p", "pw", "-a", "coder", "--timeout", "15");
            await().atMost(10, SECONDS).until(() -> full.client().agents().stream()
                .anyMatch(a -> a.getName().equals("coder") && Boolean.TRUE.equals(a.getWaiting())));

            proxy.stopAnswering();
            full.stop();
            await().atMost(10, SECONDS).until(() -> wait.err().contains("; still waiting\n"));
            // the server comes back with a new room, its one long-poll taken: the wait finds the restart, not a poll
            full.restart();
            OnePollSlot.take(full.url(), "pw");
            proxy.answerAgain();

            assertEquals(ExitCodes.UNREACHABLE, wait.exit().orTimeout(30, SECONDS).join(), wait.err());
            assertTrue(wait.err().contains("🔄 The room was restarted; waiting from its beginning\n"), wait.err());
            assertTrue(wait.err().endsWith("❌ The server did not answer again before the timeout\n"), wait.err());
            assertEquals("", wait.out());
        }
    }

    @Test
    void waitAfterAServerRestartStartsFromTheNewRoomsBeginning() {
        restartWithMoreMessagesThanCoderRead();

        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "5");

        assertEquals(0, result.code(), result.err());
        assertTexts(result.lines(), "#1 bob: new one", "#2 bob: new two", "#3 bob: new three");
        assertTrue(result.err().contains("🔄 The room was restarted; waiting from its beginning\n"), result.err());
    }

    @Test
    void waitJsonAfterAServerRestartTellsItBeforeTheNewRoomsMessages() {
        restartWithMoreMessagesThanCoderRead();

        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "5", "--json");

        assertEquals(0, result.code(), result.err());
        String[] lines = result.lines();
        assertEquals(4, lines.length, result.out());
        assertEquals("{\"event\":\"restarted\"}", lines[0]);
        assertTrue(lines[1].contains("\"text\":\"new one\"") && lines[3].contains("\"text\":\"new three\""), result.out());
    }

    @Test
    void waitForMentionsAfterAServerRestartTellsItBeforeTheNewRoomsMessage() {
        room.post("alice", "@coder old one");
        room.post("alice", "@coder old two");
        cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions");
        room.stop();
        room.restart();
        room.post("bob", "new one");
        room.post("bob", "@coder new two");

        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "5", "--json");

        assertEquals(0, result.code(), result.err());
        String[] lines = result.lines();
        assertEquals(2, lines.length, result.out());
        assertEquals("{\"event\":\"restarted\"}", lines[0]);
        assertTrue(lines[1].contains("\"text\":\"@coder new two\""), lines[1]);
    }

    @Test
    void waitForMentionsWhoseCursorPassedMessagesThatWereNoMentionsSaysTheRoomWasRestarted() {
        room.post("alice", "@coder old one");
        cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions");
        room.post("alice", "lunch anyone?");
        // the mentions cursor moves past #2, which the poll for mentions does not give: no timestamp of its own
        assertEquals(ExitCodes.TIMEOUT, cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions",
            "--timeout", "1").code());
        room.stop();
        room.restart();
        room.post("bob", "@coder new one");
        room.post("bob", "unrelated");
        room.post("bob", "@coder new three");

        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "5");

        assertEquals(0, result.code(), result.err());
        assertEquals("🔄 The room was restarted; waiting from its beginning\n", result.err());
        assertTexts(result.lines(), "#1 bob: @coder new one", "#3 bob: @coder new three");
    }

    @Test
    void aFirstWaitThatTimedOutBeforeTheServerRestartedSaysTheRoomWasRestartedOnTheNextWait() {
        room.post("alice", "old news");
        room.post("alice", "more old news");
        assertEquals(ExitCodes.TIMEOUT, cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "1").code());
        room.stop();
        room.restart();
        for (String text : List.of("new one", "new two", "new three")) {
            room.post("bob", text);
        }

        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "5");

        assertEquals(0, result.code(), result.err());
        assertEquals("🔄 The room was restarted; waiting from its beginning\n", result.err());
        assertTexts(result.lines(), "#1 bob: new one", "#2 bob: new two", "#3 bob: new three");
    }

    @Test
    void readJsonIsNdjson() {
        room.post("alice", "one");
        room.post("bob", "two");

        String[] lines = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "coder", "--json").lines();

        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("{\"id\":1,\"agent\":\"alice\",\"text\":\"one\",\"timestamp\":\""), lines[0]);
        assertTrue(lines[1].startsWith("{\"id\":2,\"agent\":\"bob\",\"text\":\"two\",\"timestamp\":\""), lines[1]);
    }

    @Test
    void waitWithoutACursorWaitsForMessagesPostedFromNowOn() {
        room.post("alice", "old news");

        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "20");
        awaitPolling("coder");
        room.post("bob", "fresh");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "#2 bob: fresh");
    }

    @Test
    void aFirstWaitLeavesTheHistoryItSkippedUnreadForTheFirstRead() {
        room.post("alice", "old news");

        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "20");
        awaitPolling("coder");
        room.post("bob", "fresh");
        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "#2 bob: fresh");

        assertTexts(read("coder").lines(), "#1 alice: old news", "#2 bob: fresh");
        room.post("alice", "later");
        assertTexts(cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "5").lines(), "#3 alice: later");
        assertEquals(0, read("coder").lines().length);
    }

    @Test
    void aReadOfMoreHistoryThanOneAnswerHoldsMovesTheReadReceiptToTheLastMessage() {
        String big = "x".repeat(60_000);
        long last = 0;
        for (int i = 0; i < 20; i++) { // 1.2 MB in all: more than one poll answers
            last = room.post("alice", i + " " + big);
        }

        assertEquals(20, read("coder").lines().length);

        long newest = last;
        assertTrue(room.client().agents().stream()
            .anyMatch(a -> a.getName().equals("coder") && Long.valueOf(newest).equals(a.getReadUpTo())), "read up to #" + newest);
    }

    @Test
    void aFirstWaitMovesNoReadReceiptOverTheHistoryItSkippedAndTheFirstReadDoes() {
        long history = room.post("alice", "old news");

        assertEquals(ExitCodes.TIMEOUT, cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "1").code());
        CliRunner.Result waited = cli.run("seen", "-u", room.url(), "-p", "pw", String.valueOf(history));
        assertTrue(waited.out().contains("not yet: coder"), waited.out());

        read("coder");
        CliRunner.Result read = cli.run("seen", "-u", room.url(), "-p", "pw", String.valueOf(history));
        assertTrue(read.out().startsWith("#" + history + " read by: ") && read.lines()[0].contains("coder"), read.out());
    }

    @Test
    void waitReturnsAtOnceWhenUnreadMessagesAreWaiting() {
        room.post("alice", "one");
        read("coder");
        room.post("bob", "two");
        room.post("bob", "three");

        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "5");

        assertEquals(0, result.code());
        assertTexts(result.lines(), "#2 bob: two", "#3 bob: three");
        assertEquals(0, read("coder").lines().length);
    }

    @Test
    void readAndWaitSayWhenMessagesSinceTheLastReadWereDroppedFromTheHistory() {
        try (TestRoom small = TestRoom.start(java.util.Map.of("agent-chat.max-history", 3))) {
            small.post("alice", "one");
            assertEquals(0, cli.run("read", "-u", small.url(), "-p", "pw", "-a", "coder").code());
            for (String text : List.of("two", "three", "four", "five")) {
                small.post("alice", text);
            }

            CliRunner.Result read = cli.run("read", "-u", small.url(), "-p", "pw", "-a", "coder");
            assertEquals(0, read.code(), read.err());
            assertTexts(read.lines(), "#3 alice: three", "#4 alice: four", "#5 alice: five");
            assertEquals("⚠️ Some messages since your last read were dropped from the room's history before you read them;"
                + " it now begins at #3\n", read.err());
            CliRunner.Result newcomer = cli.run("read", "-u", small.url(), "-p", "pw", "-a", "newcomer");
            assertEquals("", newcomer.err(), "the history before a first read is nobody's loss");

            small.post("alice", "six");
            CliRunner.Result next = cli.run("read", "-u", small.url(), "-p", "pw", "-a", "coder");
            assertTexts(next.lines(), "#6 alice: six");
            assertEquals("", next.err());

            for (String text : List.of("seven", "eight", "nine", "ten")) {
                small.post("alice", text);
            }
            CliRunner.Result wait = cli.run("wait", "-u", small.url(), "-p", "pw", "-a", "coder", "--timeout", "5");
            assertEquals(0, wait.code(), wait.err());
            assertTexts(wait.lines(), "#8 alice: eight", "#9 alice: nine", "#10 alice: ten");
            assertEquals("⚠️ Some messages since your last read were dropped from the room's history before you read them;"
                + " it now begins at #8\n", wait.err());
        }
    }

    @Test
    void waitTimeoutPrintsNothingAndExitsFour() {
        long started = System.nanoTime();
        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "1");

        assertEquals(ExitCodes.TIMEOUT, result.code());
        assertEquals("", result.out());
        assertEquals("", result.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 900);
    }

    @Test
    void waitOnAFullServerSaysSoOnceAndGetsTheMessageThatFreesASlot() throws Exception {
        try (TestRoom full = TestRoom.start(OnePollSlot.SETTINGS)) {
            CompletableFuture<HttpResponse<String>> occupant = OnePollSlot.take(full.url(), "pw");

            CliRunner.Running wait = cli.start("wait", "-u", full.url(), "-p", "pw", "-a", "coder", "--timeout", "30");
            await().atMost(10, SECONDS).until(() -> wait.err().contains(
                "⚠️ The server has too many open connections (limit 1; retry after 5 s); still waiting"));
            full.post("alice", "room at last");

            assertEquals(0, wait.exit().orTimeout(30, SECONDS).join(), wait.err());
            assertEquals(200, occupant.get(10, SECONDS).statusCode());
            assertTexts(wait.lines(), "#1 alice: room at last");
            assertEquals(1, wait.err().split("too many open connections", -1).length - 1, wait.err());
            assertTrue(wait.err().endsWith("; still waiting\n🔄 Reconnected\n"), wait.err());
        }
    }

    @Test
    void messagesPostedBetweenTwoWaitsAreNotLost() {
        assertEquals(ExitCodes.TIMEOUT, cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "0.5").code());
        room.post("alice", "in between");

        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "5");

        assertEquals(0, result.code());
        assertTexts(result.lines(), "#1 alice: in between");
    }

    @Test
    void waitMentionsIgnoresUnrelatedMessages() {
        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "20");
        awaitPolling("coder");
        room.post("alice", "lunch anyone?");
        room.post("alice", "@coderx is someone else");
        room.post("bob", "@reviewer please look");
        await().during(1, SECONDS).atMost(3, SECONDS).until(() -> !wait.exit().isDone());

        room.post("bob", "@coder the build broke");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "#4 bob: @coder the build broke");
        // the mentions cursor is its own: a plain read still shows everything
        assertEquals(4, read("coder").lines().length);
    }

    @Test
    void aMentionPostedBetweenAReadAndAWaitForMentionsWakesTheWait() {
        room.post("planner", "start");
        assertTexts(read("coder").lines(), "#1 planner: start");
        room.post("planner", "@coder please look");

        CliRunner.Result wait = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "5");

        assertEquals(0, wait.code(), wait.err());
        assertTexts(wait.lines(), "#2 planner: @coder please look");
    }

    @Test
    void aMentionAReadShowedDoesNotWakeALaterWaitForMentionsAgain() {
        room.post("planner", "@coder first");
        CliRunner.Result first = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "0.5");
        assertEquals(ExitCodes.TIMEOUT, first.code(), "a first wait waits from now: " + first.out());
        room.post("planner", "@coder second");
        assertTexts(read("coder").lines(), "#1 planner: @coder first", "#2 planner: @coder second");

        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "20");
        awaitPolling("coder");
        room.post("planner", "@coder third");

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTexts(wait.lines(), "#3 planner: @coder third");
    }

    @Test
    void aReadCursorFromBeforeARestartDoesNotMakeAWaitForMentionsShowANewRoomsMentionAgain() {
        restartAfterCoderReadFourMessages();
        room.post("bob", "@coder new one");
        CliRunner.Result first = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "5");
        assertEquals("🔄 The room was restarted; waiting from its beginning\n", first.err());
        assertTexts(first.lines(), "#1 bob: @coder new one");
        room.post("bob", "@coder new two");

        CliRunner.Result second = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "5");

        assertEquals(0, second.code(), second.err());
        assertEquals("", second.err(), "the restart was told once");
        assertTexts(second.lines(), "#2 bob: @coder new two");
    }

    @Test
    void aWaitForMentionsThatTimesOutInARestartedRoomTellsTheRestartOnceNotOnEveryWait() {
        restartAfterCoderReadFourMessages();
        room.post("bob", "not for coder");
        CliRunner.Result first = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "1");
        assertEquals(ExitCodes.TIMEOUT, first.code(), first.err());
        assertEquals("🔄 The room was restarted; waiting from its beginning\n", first.err());

        CliRunner.Result second = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "1");

        assertEquals(ExitCodes.TIMEOUT, second.code(), second.err());
        assertEquals("", second.err(), "the restart was told once");
        room.post("bob", "@coder now you");
        CliRunner.Result third = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "5");
        assertEquals("", third.err());
        assertTexts(third.lines(), "#2 bob: @coder now you");
    }

    @Test
    void waitMentionsWakesForAddressedMessages() {
        CliRunner.Running wait = cli.start("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--mentions", "--timeout", "20", "--json");
        awaitPolling("coder");
        room.post("alice", "unrelated");
        room.client().send("alice", "please deploy", List.of("Coder"), null);

        assertEquals(0, wait.exit().orTimeout(20, SECONDS).join(), wait.err());
        assertTrue(wait.out().startsWith("{\"id\":2,\"agent\":\"alice\",\"text\":\"please deploy\""), wait.out());
        assertFalse(wait.out().contains("unrelated"));
    }

    @Test
    void negativeTimeoutIsAUsageError() {
        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "-a", "coder", "--timeout", "-1");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Invalid value for option '--timeout': '-1' is not a duration"), result.err());
    }

    private CliRunner.Result read(String agent) {
        CliRunner.Result result = cli.run("read", "-u", room.url(), "-p", "pw", "-a", agent);
        assertEquals(0, result.code(), result.err());
        return result;
    }

    /** coder reads four messages; the server restarts, and its new room is empty. */
    private void restartAfterCoderReadFourMessages() {
        for (String text : List.of("old one", "old two", "old three", "old four")) {
            room.post("alice", text);
        }
        read("coder");
        room.stop();
        room.restart();
    }

    /** coder reads two messages; the server restarts and the new room has three: #2 is another message. */
    private void restartWithMoreMessagesThanCoderRead() {
        room.post("alice", "old one");
        room.post("alice", "old two");
        read("coder");
        room.stop();
        room.restart();
        room.post("bob", "new one");
        room.post("bob", "new two");
        room.post("bob", "new three");
    }

    /** Waits until {@code agent} is long-polling (presence shows it online). */
    private void awaitPolling(String agent) {
        await().atMost(10, SECONDS).until(() -> room.client().agents().stream()
            .anyMatch(a -> a.getName().equals(agent) && Boolean.TRUE.equals(a.getOnline())));
    }
}
