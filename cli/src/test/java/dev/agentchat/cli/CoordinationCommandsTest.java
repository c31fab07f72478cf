package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ack, send --ack, wait --acks, seen, claim, claims and release against a real server. */
class CoordinationCommandsTest {
    @TempDir
    static Path state;
    static CliRunner cli;
    static TestRoom room;

    @BeforeAll
    static void start() {
        cli = new CliRunner(state);
        room = TestRoom.start();
    }

    @AfterAll
    static void stop() {
        room.close();
        cli.close();
    }

    @Test
    void anAgentThatHoldsItsNameClaimsAcknowledgesAndReleasesAsThatName() {
        CliRunner.Result sent = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "keeper", "--json", "-m", "mine now");
        assertEquals(0, sent.code(), sent.err());
        long id = Long.parseLong(sent.out().replaceAll("(?s).*\"id\":(\\d+).*", "$1"));

        CliRunner.Result claimed = cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "keeper", "keep/**");
        assertEquals(0, claimed.code(), claimed.err());
        CliRunner.Result acked = cli.run("ack", "-u", room.url(), "-p", "pw", "-a", "keeper", String.valueOf(id));
        assertEquals(0, acked.code(), acked.err());
        CliRunner.Result released = cli.run("release", "-u", room.url(), "-p", "pw", "-a", "keeper", "keep/**");
        assertEquals(0, released.code(), released.err());

        // a resource that begins like a claim's id is still released by its resource
        assertEquals(0, cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "keeper", "c-tools/**").code());
        CliRunner.Result byResource = cli.run("release", "-u", room.url(), "-p", "pw", "-a", "keeper", "c-tools/**");
        assertEquals(0, byResource.code(), byResource.err());
        assertTrue(byResource.out().startsWith("✅ Released c-tools/**"), byResource.out());
    }

    @Test
    void aSenderWaitsUntilEveryoneItAddressedHasAcknowledged() {
        CliRunner.Result sent = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "lead", "--ack", "--json",
            "-m", "@dev1 @dev2 freeze main");
        assertEquals(0, sent.code(), sent.err());
        long id = Long.parseLong(sent.out().replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
        assertTrue(sent.out().contains("\"ack_requested\":true"), sent.out());
        assertTrue(sent.out().contains("\"acks\":[]"), "as the API has it, before anyone acknowledged: " + sent.out());

        CliRunner.Running waiting = cli.start("wait", "-u", room.url(), "-p", "pw", "--acks", "#" + id, "--timeout", "30");
        CliRunner.Result first = cli.run("ack", "-u", room.url(), "-p", "pw", "-a", "dev1", String.valueOf(id));
        assertEquals("✅ Acknowledged #" + id + " (acks: dev1)\n", first.out());
        assertFalse(waiting.exit().isDone());
        cli.run("ack", "-u", room.url(), "-p", "pw", "-a", "dev2", "#" + id);

        assertEquals(0, waiting.exit().orTimeout(20, SECONDS).join(), waiting.err());
        assertEquals("✅ #" + id + " acknowledged by dev1, dev2\n", waiting.out());
    }

    @Test
    void messagesShowWhetherTheyAskForAcknowledgementAndWhoGaveIt() {
        CliRunner.Result sent = cli.run("send", "-u", room.url(), "-p", "pw", "-a", "chief", "--ack", "--json",
            "-m", "@ops1 @ops2 rotate the keys");
        long id = Long.parseLong(sent.out().replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
        CliRunner.Result asked = cli.run("search", "-u", room.url(), "-p", "pw", "rotate the keys");
        assertTrue(asked.out().endsWith(" #" + id + " chief [ack requested]: @ops1 @ops2 rotate the keys\n"), asked.out() + asked.err());

        cli.run("ack", "-u", room.url(), "-p", "pw", "-a", "ops1", String.valueOf(id));
        CliRunner.Result acked = cli.run("search", "-u", room.url(), "-p", "pw", "rotate the keys");
        assertTrue(acked.out().endsWith(" #" + id + " chief [ack requested, acked by ops1]: @ops1 @ops2 rotate the keys\n"),
            acked.out());
    }

    @Test
    void waitingForAcknowledgementsThatDoNotComeTimesOut() {
        long id = room.post("lead-2", "@dev3 please confirm");
        CliRunner.Result result = cli.run("wait", "-u", room.url(), "-p", "pw", "--acks", String.valueOf(id), "--timeout", "1");
        assertEquals(4, result.code());
        assertEquals("⏳ #" + id + ": no acknowledgement yet; still waiting for dev3\n", result.err());
    }

    @Test
    void seenTellsWhoHasReadAMessage() {
        long id = room.post("lead-3", "status?");
        assertEquals(0, cli.run("read", "-u", room.url(), "-p", "pw", "-a", "reader").code());
        room.post("lead-3", "later");
        CliRunner.Result seen = cli.run("seen", "-u", room.url(), "-p", "pw", String.valueOf(id));
        assertEquals(0, seen.code(), seen.err());
        assertTrue(seen.out().startsWith("#" + id + " read by: ") && seen.out().contains("reader"), seen.out());
        CliRunner.Result later = cli.run("seen", "-u", room.url(), "-p", "pw", String.valueOf(id + 1));
        assertTrue(later.out().contains("not yet: ") && later.out().contains("reader"), later.out());
    }

    @Test
    void seenCountsTheAuthorAndWhoAcknowledgedAsReaders() {
        long id = room.post("author-4", "please ack");
        assertEquals(0, cli.run("ack", "-u", room.url(), "-p", "pw", "-a", "acker-4", String.valueOf(id)).code());
        room.post("author-4", "after it");

        CliRunner.Result seen = cli.run("seen", "-u", room.url(), "-p", "pw", String.valueOf(id));

        String readBy = seen.out().lines().findFirst().orElse("");
        assertTrue(readBy.contains("author-4") && readBy.contains("acker-4"), seen.out());
        assertTrue(seen.out().lines().skip(1).noneMatch(line -> line.contains("author-4") || line.contains("acker-4")),
            seen.out());
    }

    @Test
    void ackSeenAndReleaseSpeakJsonForScripts() {
        long id = room.post("lead-5", "@dev5 take it");
        assertEquals(0, cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "dev5", "json/**").code());

        CliRunner.Result acked = cli.run("ack", "-u", room.url(), "-p", "pw", "-a", "dev5", "--json", String.valueOf(id));
        CliRunner.Result seen = cli.run("seen", "-u", room.url(), "-p", "pw", "--json", String.valueOf(id));
        CliRunner.Result released = cli.run("release", "-u", room.url(), "-p", "pw", "-a", "dev5", "--json", "json/**");
        CliRunner.Result waited = cli.run("wait", "-u", room.url(), "-p", "pw", "--acks", String.valueOf(id), "--json");

        assertEquals("{\"id\":" + id + ",\"acks\":[\"dev5\"]}\n", acked.out());
        assertEquals(0, waited.code(), waited.err());
        assertEquals(acked.out(), waited.out());
        Map<?, ?> receipt = (Map<?, ?>) Json.parse(seen.out());
        assertEquals(id, receipt.get("id"));
        assertTrue(((List<?>) receipt.get("read_by")).containsAll(List.of("lead-5", "dev5")), seen.out());
        assertFalse(((List<?>) receipt.get("not_yet")).contains("dev5"), seen.out());
        assertTrue(((List<?>) receipt.get("not_yet")).containsAll((List<?>) receipt.get("waiting")), seen.out());
        assertTrue(released.out().matches("\\{\"id\":\"c-[0-9a-f]+\",\"agent\":\"dev5\",\"resource\":\"json/\\*\\*\",.*\\}\n"),
            released.out());
    }

    @Test
    void anUnknownMessageIdIsTheSameMistakeInTheSameWordsForEveryCommand() {
        String unknown = String.valueOf(room.post("lead-6", "the newest yet") + 1000);
        for (List<String> command : List.of(List.of("seen", unknown), List.of("ack", "-a", "dev6", unknown),
            List.of("wait", "--acks", unknown, "--timeout", "1"), List.of("send", "-a", "dev6", "--reply-to", unknown, "-m", "answer"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("-u", room.url(), "-p", "pw"));

            CliRunner.Result result = cli.run(args.toArray(String[]::new));

            assertEquals(ExitCodes.USAGE, result.code(), command + result.err());
            assertEquals("❌ No message #" + unknown + " in this room: check the id\n", result.err(), command.toString());
        }
    }

    @Test
    void anAgentHeldByTheLoopBrakeIsToldWhyAndNothingIsSentUntilAPersonPosts() {
        try (TestRoom braked = TestRoom.start(java.util.Map.of("agent-chat.max-agent-turns", 2))) {
            for (int i = 0; i < 2; i++) {
                assertEquals(0, cli.run("send", "-u", braked.url(), "-p", "pw", "-a", "bot", "-m", "step " + i).code());
            }
            CliRunner.Result held = cli.run("send", "-u", braked.url(), "-p", "pw", "-a", "bot", "-m", "thanks!");
            assertEquals(1, held.code());
            assertTrue(held.err().contains("2 agent messages in a row without a human one"), held.err());
            assertTrue(held.err().contains("Stop posting and wait for people; agent-chat brake shows the brake"), held.err());
            assertFalse(held.err().contains("--human"), "an agent is not told how to pass for a person: " + held.err());
            assertEquals(2, braked.client().history().size());
            assertEquals(0, cli.run("send", "-u", braked.url(), "-p", "pw", "-a", "ann", "--human", "-m", "stop").code());
            assertEquals(0, cli.run("send", "-u", braked.url(), "-p", "pw", "-a", "bot", "-m", "stopped").code());
        }
    }

    @Test
    void theHostSeesTheEngagedBrakeAndReleasesItFromTheCli() {
        try (TestRoom braked = TestRoom.start(java.util.Map.of("agent-chat.max-agent-turns", 2))) {
            for (int i = 0; i < 2; i++) {
                assertEquals(0, cli.run("send", "-u", braked.url(), "-p", "pw", "-a", "bot", "-m", "step " + i).code());
            }
            CliRunner.Result shown = cli.run("brake", "-u", braked.url(), "-p", "pw");
            assertEquals("🛑 Loop brake engaged: 2 agent messages in a row (limit 2)\n", shown.out(), shown.err());

            CliRunner.Result wrongKey = cli.run("brake", "-u", braked.url(), "--release", "--host-key", "not-the-key");
            assertEquals(1, wrongKey.code());
            assertEquals("❌ Wrong host key\n", wrongKey.err());
            CliRunner.Result released = cli.run("brake", "-u", braked.url(), "--release", "--host-key", braked.hostKey());
            assertEquals(0, released.code(), released.err());
            assertEquals("✅ Released. Loop brake not engaged: 0 agent messages in a row (limit 2)\n", released.out());
            assertEquals(0, cli.run("send", "-u", braked.url(), "-p", "pw", "-a", "bot", "-m", "free again").code());
            assertEquals("Loop brake not engaged: 1 agent message in a row (limit 2)\n",
                cli.run("brake", "-u", braked.url(), "-p", "pw").out());
            assertEquals("{\"agent_turns\":1,\"limit\":2,\"engaged\":false}\n",
                cli.run("brake", "-u", braked.url(), "-p", "pw", "--json").out());
        }
    }

    @Test
    void aTtlLongerThanTheRoomAllowsIsAUsageErrorNamingTtlAndTheRoomsLimitInOneLine() {
        CliRunner.Result tooLong = cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "ttl-1", "long/**", "--ttl", "25h");

        assertEquals(ExitCodes.USAGE, tooLong.code(), tooLong.err());
        // the room's refusal, not a parser mistake: its one line, without the command's synopsis
        assertEquals("❌ --ttl 25h is longer than a claim lasts in this room: at most 24h "
            + "(renew the claim to keep it longer)\n", tooLong.err());
        assertFalse(cli.run("claims", "-u", room.url(), "-p", "pw").out().contains("long/**"), "nothing was claimed");
        // the limit is the room's own: a server that allows longer claims takes it
        try (TestRoom longer = TestRoom.start(Map.of("agent-chat.limits.claim-max-ttl", "48h"))) {
            CliRunner.Result taken = cli.run("claim", "-u", longer.url(), "-p", "pw", "-a", "ttl-1", "long/**", "--ttl", "25h");
            assertEquals(0, taken.code(), taken.err());
        }
    }

    @Test
    void aNoteLongerThanAClaimTakesIsAUsageErrorNamingNoteBeforeAnyRequest() {
        CliRunner.Result tooLong = cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "note-1", "docs/**",
            "--note", "x".repeat(501));

        assertEquals(ExitCodes.USAGE, tooLong.code(), tooLong.err());
        assertTrue(tooLong.err().startsWith("❌ --note is 501 characters; a claim's note takes at most 500\n"), tooLong.err());
        assertFalse(cli.run("claims", "-u", room.url(), "-p", "pw").out().contains("docs/**"), "nothing was claimed");
    }

    @Test
    void claimsConflictAreListedAndReleased() {
        CliRunner.Result taken = cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "ann", "lib/parser/**",
            "--ttl", "30m", "--note", "refactor");
        assertEquals(0, taken.code(), taken.err());
        assertTrue(taken.out().matches("✅ Claimed lib/parser/\\*\\* until \\d\\d:\\d\\d:\\d\\d \\(claim c-[0-9a-f]+\\)\n"), taken.out());

        CliRunner.Result refused = cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "ben", "lib/*/lexer.c");
        assertEquals(1, refused.code());
        assertTrue(refused.err().matches("(?s).*claimed by ann until \\d\\d:\\d\\d:\\d\\d \\(claim c-.*"), refused.err());

        CliRunner.Result bad = cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "ben", "lib/[ab]");
        assertEquals(2, bad.code(), "a mistake in the command line, as a --ttl over the room's limit is");
        assertTrue(bad.err().startsWith("❌ Malformed glob 'lib/[ab]'"), bad.err());
        CliRunner.Result empty = cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "ben", " ");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().startsWith("❌ RESOURCE is empty"), empty.err());
        // an empty argument is the command's own usage mistake, in its own words (never the parser's exception)
        for (List<String> command : List.of(List.of("claim", "-a", "ben"), List.of("release", "-a", "ben"),
            List.of("ack", "-a", "ben"), List.of("seen"), List.of("search"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("-u", room.url(), "-p", "pw", ""));
            CliRunner.Result nothing = cli.run(args.toArray(String[]::new));
            assertEquals(2, nothing.code(), command + ": " + nothing.err());
            assertTrue(nothing.err().startsWith("❌ ") && !nothing.err().contains("Exception")
                && !nothing.err().contains("Unknown option"), command + ": " + nothing.err());
        }

        CliRunner.Result list = cli.run("claims", "-u", room.url(), "-p", "pw");
        assertTrue(list.out().matches("(?s).*c-[0-9a-f]+  lib/parser/\\*\\*  ann  until \\d\\d:\\d\\d:\\d\\d  refactor\n.*"), list.out());

        CliRunner.Result notHers = cli.run("release", "-u", room.url(), "-p", "pw", "-a", "ben", "lib/parser/**");
        assertEquals(1, notHers.code());
        assertTrue(notHers.err().matches("❌ Claim c-[0-9a-f]+ is held by ann, not ben: only its holder can release it\n"),
            notHers.err());
        CliRunner.Result released = cli.run("release", "-u", room.url(), "-p", "pw", "-a", "ann", "lib/parser/**");
        assertEquals(0, released.code(), released.err());
        assertTrue(released.out().startsWith("✅ Released lib/parser/** (claim c-"), released.out());
        await().atMost(10, SECONDS).until(() ->
            cli.run("claim", "-u", room.url(), "-p", "pw", "-a", "ben", "lib/*/lexer.c").code() == 0);
    }
}
