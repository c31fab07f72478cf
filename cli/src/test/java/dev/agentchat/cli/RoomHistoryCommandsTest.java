package dev.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.error.ApiError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full room from the command line: read, join and listen page through its history, search finds
 * what was said, export writes the transcript.
 */
class RoomHistoryCommandsTest {
    /** Two full pages and a bit. */
    static final int FULL = RoomClient.PAGE * 2 + 37;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path state;
    static TestRoom room;
    static CliRunner cli;

    @BeforeAll
    static void start() {
        room = TestRoom.start();
        cli = new CliRunner(state);
        RoomClient client = room.client();
        for (int i = 1; i <= FULL; i++) {
            client.send(i % 2 == 0 ? "alice" : "bob", i == 100 ? "the DEPLOY is green" : "message " + i, null, null);
        }
        client.send("carol", "Deploy again tomorrow? <b>sure</b>", List.of("alice"), 100L);
    }

    @AfterAll
    static void stop() {
        cli.close();
        room.close();
    }

    @Test
    void readPrintsAFullRoomPageByPageEveryMessageOnceInOrder() {
        CliRunner.Result result = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "reader", "--json");

        assertEquals(0, result.code(), result.err());
        long[] ids = result.out().lines().map(RoomHistoryCommandsTest::parse).mapToLong(m -> m.get("id").asLong()).toArray();
        assertEquals(FULL + 1, ids.length);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i + 1, ids[i]);
        }
        assertEquals("", cli.run("read", "-u", room.url(), "-p", "pw", "-a", "reader").out(), "all read");
    }

    @Test
    void readLastShowsOnlyTheNewestOfAFullRoomAndMarksEverythingRead() {
        CliRunner.Result result = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "skimmer", "--last", "3");

        assertEquals(0, result.code(), result.err());
        String[] lines = result.out().split("\n");
        assertEquals(3, lines.length, result.out());
        assertTrue(lines[2].contains("#" + (FULL + 1) + " carol"), lines[2]);
        assertEquals("", cli.run("read", "-u", room.url(), "-p", "pw", "-a", "skimmer").out());
    }

    @Test
    void readMentionsLastFindsTheNewestMentionFarBack() {
        CliRunner.Result result = cli.run("read", "-u", room.url(), "-p", "pw", "-a", "alice", "--mentions", "--last", "1");

        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("#" + (FULL + 1) + " carol ↩#100 → alice"), result.out());
    }

    @Test
    void listenLastStartsFromTheNewestPageThenFollows() {
        try (TestRoom busy = TestRoom.start()) {
            RoomClient client = busy.client();
            for (int i = 1; i <= 150; i++) {
                client.send("alice", "message " + i, null, null);
            }
            CliRunner.Running listen = cli.start("listen", "-u", busy.url(), "-p", "pw", "--last", "2", "--count", "1", "--ids");
            await().atMost(10, SECONDS).until(() -> listen.lines().length == 2);
            client.send("bob", "live", null, null);
            await().atMost(10, SECONDS).until(() -> listen.exit().isDone());

            String[] lines = listen.lines();
            assertEquals(3, lines.length, listen.out());
            assertTrue(lines[0].contains("#149 alice: message 149"), lines[0]);
            assertTrue(lines[1].contains("#150 alice: message 150"), lines[1]);
            assertTrue(lines[2].contains("#151 bob: live"), lines[2]);
        }
    }

    @Test
    void searchPrintsTheNewestMatchesOldestFirst() {
        CliRunner.Result result = cli.run("search", "deploy", "-u", room.url(), "-p", "pw");

        assertEquals(0, result.code(), result.err());
        String[] lines = result.out().split("\n");
        assertEquals(2, lines.length, result.out());
        assertTrue(lines[0].contains("#100 alice: the DEPLOY is green"), lines[0]);
        assertTrue(lines[1].contains("carol"), lines[1]);

        CliRunner.Result byCarol = cli.run("search", "deploy", "--by", "carol", "--json", "-u", room.url(), "-p", "pw");
        assertEquals(1, byCarol.out().lines().count(), byCarol.out());
        assertEquals(FULL + 1, parse(byCarol.out().trim()).get("id").asLong());

        CliRunner.Result older = cli.run("search", "message 1", "--before", "100", "--limit", "3", "-u", room.url(), "-p", "pw");
        assertEquals(List.of("#17 ", "#18 ", "#19 "), Arrays.stream(older.out().split("\n"))
            .map(line -> line.substring(line.indexOf('#'), line.indexOf(' ', line.indexOf('#')) + 1)).toList(), older.out());
    }

    @Test
    void searchWithoutMatchesExitsWithFailure() {
        CliRunner.Result result = cli.run("search", "nowhere to be found", "-u", room.url(), "-p", "pw");

        assertEquals(ExitCodes.FAILURE, result.code());
        assertEquals("", result.out());
        assertTrue(result.err().contains("No message contains 'nowhere to be found'"), result.err());
    }

    @Test
    void searchTermOverTheLimitIsAUsageErrorBeforeAnyRequest() {
        CliRunner.Result result = cli.run("search", "x".repeat(201), "-u", room.url(), "-p", "pw");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ TEXT is 201 characters; a search takes at most 200\n"), result.err());
    }

    @Test
    void searchByANameThatBreaksTheNameRuleIsAUsageErrorNamingByBeforeAnyRequest() throws Exception {
        String nowhere;
        try (ServerSocket closed = new ServerSocket(0)) {
            nowhere = "http://127.0.0.1:" + closed.getLocalPort();
        }
        for (String by : List.of("x".repeat(65), "", "tab\tname")) {
            CliRunner.Result result = cli.run("search", "deploy", "--by", by, "-u", nowhere, "-p", "pw");

            assertEquals(ExitCodes.USAGE, result.code(), result.err());
            assertTrue(result.err().startsWith("❌ --by: Invalid name '"), result.err());
            assertTrue(result.err().contains(ApiError.NAME_RULE), result.err());
        }
        // spaces at either end are left out, as of -a
        CliRunner.Result spaced = cli.run("search", "deploy", "--by", "carol ", "-u", room.url(), "-p", "pw");
        assertEquals(0, spaced.code(), spaced.err());
        assertTrue(spaced.out().contains(" carol ") && spaced.out().contains("Deploy again tomorrow?"), spaced.out());
    }

    @Test
    void exportWritesEveryMessageInEachFormat() {
        CliRunner.Result markdown = cli.run("export", "-u", room.url(), "-p", "pw");
        assertEquals(0, markdown.code(), markdown.err());
        assertTrue(markdown.out().startsWith("# agent-chat\n"), markdown.out().substring(0, 80));
        assertTrue(markdown.out().contains("**#" + (FULL + 1) + "** · "), "the last message");
        assertTrue(markdown.out().contains("**carol** → alice · in reply to #100"));

        CliRunner.Result jsonl = cli.run("export", "--format", "jsonl", "-u", room.url(), "-p", "pw");
        List<String> lines = jsonl.out().lines().toList();
        assertEquals(FULL + 2, lines.size());
        assertEquals(FULL + 1, parse(lines.get(lines.size() - 1)).get("id").asLong());

        CliRunner.Result html = cli.run("export", "--format", "HTML", "-u", room.url(), "-p", "pw");
        assertTrue(html.out().startsWith("<!doctype html>"));
        assertTrue(html.out().contains("&lt;b&gt;sure&lt;/b&gt;"));
    }

    @Test
    void exportTakesTheTranscriptInPartsAfterAMessageAndWithinASize() {
        CliRunner.Result part = cli.run("export", "--format", "jsonl", "--after", "100", "--max-bytes", "2000",
            "-u", room.url(), "-p", "pw");
        assertEquals(0, part.code(), part.err());
        List<String> lines = part.out().lines().toList();
        assertEquals(101, parse(lines.get(1)).get("id").asLong(), "the first message after #100");
        long last = parse(lines.get(lines.size() - 2)).get("id").asLong();
        assertEquals(last, parse(lines.get(lines.size() - 1)).get("more_after").asLong(), "where the rest begins");
        assertTrue(part.out().length() <= 2200, part.out());

        CliRunner.Result next = cli.run("export", "--after", String.valueOf(last), "--max-bytes", "2000",
            "-u", room.url(), "-p", "pw");
        assertTrue(next.out().contains("**#" + (last + 1) + "** · "), next.out());
        assertFalse(next.out().contains("**#" + last + "** · "), next.out());

        for (List<String> bad : List.of(List.of("--max-bytes", "100"), List.of("--after", "-1"))) {
            List<String> arguments = new ArrayList<>(List.of("export", "-u", room.url(), "-p", "pw"));
            arguments.addAll(bad);
            CliRunner.Result refused = cli.run(arguments.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, refused.code(), bad + ": " + refused.err());
            assertTrue(refused.err().contains(bad.get(0)), refused.err());
        }
    }

    @Test
    void exportInAnUnknownFormatIsAUsageError() {
        CliRunner.Result result = cli.run("export", "--format", "pdf", "-u", room.url(), "-p", "pw");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().contains("markdown, jsonl, html"), result.err());
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
