package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.hosting.Rooms;
import dev.agentchat.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room's history through real HTTP, the same in a memory room and a Redis room: pages backwards
 * and forwards, search, and the transcript export, with their bad input refused.
 */
class RoomHistoryTest {
    private static final String PASSWORD = "pw";
    private static final AtomicInteger ROOMS = new AtomicInteger();
    static TestServer memory;
    static RedisServer redis;
    static TestServer shared;

    @BeforeAll
    static void start() {
        memory = TestServer.start();
        redis = RedisServer.startOrSkip();
        shared = TestServer.start(Map.of("agent-chat.redis-url", redis.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        RedisServer.closeAll(memory, shared, redis);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void pagesBackwardsFromTheNewestWithoutGapOrOverlap(String store) {
        Room room = Room.fresh(store);
        room.postAll("alice", 25);
        List<Long> seen = new ArrayList<>();
        List<Long> page = room.ids("/messages?limit=10");
        assertEquals(ids(16, 25), page);
        while (!page.isEmpty()) {
            seen.addAll(0, page);
            page = room.ids("/messages?limit=10&before=" + page.get(0));
        }
        assertEquals(ids(1, 25), seen);
        assertEquals(ids(1, 5), room.ids("/messages?before=6&limit=10"), "the last page is short");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void afterAndBeforeBoundTheRangeAndLimitKeepsTheEndBeingPaged(String store) {
        Room room = Room.fresh(store);
        room.postAll("alice", 20);
        assertEquals(ids(6, 8), room.ids("/messages?after=5&limit=3"), "forward from a cursor: the oldest after it");
        assertEquals(ids(6, 8), room.ids("/messages?after=5&before=9"));
        assertEquals(ids(17, 19), room.ids("/messages?after=5&before=20&limit=3"), "backwards: the newest before");
        assertEquals(ids(1, 20), room.ids("/messages"));
        assertEquals(ids(18, 20), room.ids("/messages?before=1000&limit=3"), "before beyond the newest");
        assertEquals(List.of(), room.ids("/messages?after=20"));
        assertEquals(List.of(), room.ids("/messages?after=7&before=8"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void searchIgnoresCaseAndCombinesWithAuthorAndPaging(String store) {
        Room room = Room.fresh(store);
        room.post("alice", "We DEPLOY on Friday");                // 1
        room.post("bob", "no mention of it");                     // 2
        room.post("bob", "the deployment failed");                // 3
        room.post("alice", "Redeploying now");                    // 4
        room.post("carol", "déploiement: ÉTÉ, not a match");      // 5
        room.post("bob", "deploy again?");                        // 6
        assertEquals(List.of(1L, 3L, 4L, 6L), room.ids("/messages?q=deploy"));
        assertEquals(List.of(3L, 6L), room.ids("/messages?q=Deploy&agent=BOB"));
        assertEquals(List.of(4L, 6L), room.ids("/messages?q=deploy&limit=2"), "the newest matches");
        assertEquals(List.of(1L, 3L), room.ids("/messages?q=deploy&before=4"));
        assertEquals(List.of(4L), room.ids("/messages?q=deploy&after=3&limit=1"));
        assertEquals(List.of(5L), room.ids("/messages?q=" + encode("été")), "case-insensitive beyond ASCII");
        assertEquals(List.of(2L, 3L, 6L), room.ids("/messages?agent=bob"));
        assertEquals(List.of(), room.ids("/messages?q=nowhere"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void badPagingAndSearchParametersAreRefused(String store) {
        Room room = Room.fresh(store);
        room.post("alice", "hello");
        for (String bad : List.of("before=0", "before=-3", "before=x", "limit=0", "limit=-1", "after=-1",
            "agent=" + encode("a\u0001b"))) {
            HttpResponse<String> answer = room.get("/messages?" + bad);
            assertEquals(400, answer.statusCode(), bad + ": " + answer.body());
            assertEquals("invalid_parameter", Json.parse(answer.body()).get("code").asText(), bad);
        }
        HttpResponse<String> tooLong = room.get("/messages?q=" + "x".repeat(MessageQuery.MAX_SEARCH_LENGTH + 1));
        assertEquals(400, tooLong.statusCode());
        JsonNode error = Json.parse(tooLong.body());
        assertEquals("query_too_long", error.get("code").asText());
        assertEquals(MessageQuery.MAX_SEARCH_LENGTH, error.get("limit").asInt());
        assertEquals(200, room.get("/messages?q=" + "x".repeat(MessageQuery.MAX_SEARCH_LENGTH)).statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void markdownTranscriptHasEveryMessageWithItsAuthorAddresseesAndReply(String store) {
        Room room = Room.fresh(store);
        room.post("alice", "# not a heading\nsecond line");
        room.postJson("{\"agent\":\"bob\",\"text\":\"agreed\",\"to\":[\"alice\"],\"reply_to\":1,\"kind\":\"human\"}");
        HttpResponse<String> export = room.get("/messages/export");
        assertEquals(200, export.statusCode(), export.body());
        assertTrue(export.headers().firstValue("Content-Type").orElse("").startsWith("text/markdown"));
        assertTrue(export.headers().firstValue("Content-Disposition").orElse("")
            .contains("agent-chat-" + room.name + "-transcript.md"));
        String text = export.body();
        assertTrue(text.startsWith("# " + room.name + "\n"), text);
        assertTrue(text.contains("**#1** · "), text);
        assertTrue(text.contains("> # not a heading\n> second line\n"), text);
        assertTrue(text.contains(" · **bob** *(human)* → alice · in reply to #1"), text);
        assertTrue(text.contains(" · **alice**\n"), "an agent, not verified: " + text);
        assertTrue(room.get("/messages/export?format=markdown").body().startsWith("# " + room.name + "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void jsonLinesTranscriptIsTheRoomThenOneMessagePerLine(String store) {
        Room room = Room.fresh(store);
        room.postAll("alice", 3);
        HttpResponse<String> export = room.get("/messages/export?format=jsonl");
        assertEquals(200, export.statusCode(), export.body());
        assertTrue(export.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
        String[] lines = export.body().split("\n");
        assertEquals(4, lines.length);
        assertEquals(room.name, Json.parse(lines[0]).get("room").asText());
        for (int i = 1; i <= 3; i++) {
            JsonNode message = Json.parse(lines[i]);
            assertEquals(i, message.get("id").asLong());
            assertEquals("alice", message.get("agent").asText());
            assertTrue(message.has("timestamp"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void aTranscriptTakenInPartsHoldsEveryMessageOnceEachPartWithinItsSizeAndSayingWhereTheRestBegins(String store) {
        Room room = Room.fresh(store);
        for (int i = 1; i <= 12; i++) {
            room.post("alice", "message " + i + " " + "é".repeat(300));
        }
        for (String format : List.of("markdown", "jsonl", "html")) {
            List<Long> seen = new ArrayList<>();
            long after = 0;
            int parts = 0;
            while (true) {
                HttpResponse<String> part = room.get("/messages/export?format=" + format + "&max_bytes=2000&after=" + after);
                assertEquals(200, part.statusCode(), part.body());
                parts++;
                int bytes = part.body().getBytes(StandardCharsets.UTF_8).length;
                Matcher ids = Pattern.compile(format.equals("jsonl") ? "\"id\":(\\d+)" : format.equals("html")
                    ? "<article id=\"m(\\d+)\"" : "\\*\\*#(\\d+)\\*\\*").matcher(part.body());
                List<Long> inPart = new ArrayList<>();
                while (ids.find()) {
                    inPart.add(Long.parseLong(ids.group(1)));
                }
                assertFalse(inPart.isEmpty(), part.body());
                seen.addAll(inPart);
                Matcher more = Pattern.compile(format.equals("jsonl") ? "\\{\"more_after\":(\\d+)}\n$"
                    : "More messages follow #(\\d+)").matcher(part.body());
                if (!more.find()) {
                    break;
                }
                assertTrue(inPart.size() == 1 || bytes <= 2000 + 200, format + " part of " + bytes + " bytes");
                after = Long.parseLong(more.group(1));
                assertEquals(inPart.get(inPart.size() - 1), after, "the rest begins after the last message shown");
            }
            assertEquals(ids(1, 12), seen, format + ": every message once, in order");
            assertTrue(parts >= 4, format + ": " + parts + " parts");
        }
        assertTrue(room.get("/messages/export?format=html&max_bytes=2000").body().endsWith("</html>\n"),
            "a page cut short is still whole HTML");
        assertEquals(ids(11, 12), room.ids("/messages?after=10"));
        String rest = room.get("/messages/export?format=jsonl&after=10").body();
        assertEquals(3, rest.lines().count(), "the room's line, then #11 and #12: " + rest);
        for (String bad : List.of("max_bytes=1023", "max_bytes=x", "after=-1")) {
            HttpResponse<String> answer = room.get("/messages/export?" + bad);
            assertEquals(400, answer.statusCode(), bad);
            assertEquals("invalid_parameter", Json.parse(answer.body()).get("code").asText(), bad);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void everyTranscriptCarriesTheAcknowledgementsAMessageHasNow(String store) {
        Room room = Room.fresh(store);
        room.postJson("{\"agent\":\"alice\",\"text\":\"please confirm\",\"ack_requested\":true}");
        room.postJson("{\"agent\":\"alice\",\"text\":\"nobody acks this\",\"ack_requested\":true}");
        for (String agent : List.of("bob", "carol")) {
            room.postJson("/messages/1/ack", "{\"agent\":\"" + agent + "\"}");
        }
        String[] lines = room.get("/messages/export?format=jsonl").body().split("\n");
        assertEquals("[\"bob\",\"carol\"]", Json.parse(lines[1]).get("acks").toString());
        assertEquals("please confirm", Json.parse(lines[1]).get("text").asText());
        assertEquals("[]", Json.parse(lines[2]).get("acks").toString());
        assertTrue(room.get("/messages/export").body().contains("· acknowledged by bob, carol\n"));
        assertTrue(room.get("/messages/export?format=html").body().contains("<span class=\"acks\">acknowledged by bob, carol</span>"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void htmlTranscriptIsOneSelfContainedEscapedPage(String store) {
        Room room = Room.fresh(store);
        room.post("<b>mallory</b>", "<script>alert('x')</script> & <img src=http://example.com/x.png>");
        HttpResponse<String> export = room.get("/messages/export?format=html");
        assertEquals(200, export.statusCode(), export.body());
        assertTrue(export.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String page = export.body();
        assertTrue(page.startsWith("<!doctype html>"), page);
        assertTrue(page.trim().endsWith("</html>"), page);
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=http://example.com/x.png&gt;"), page);
        assertTrue(page.contains("&lt;b&gt;mallory&lt;/b&gt;"), page);
        assertFalse(page.contains("<script"), "no script at all");
        assertFalse(page.matches("(?s).*<[^>]*\\b(src|href)=[\"']?(https?:)?//.*"), "nothing fetched from elsewhere");
        assertTrue(page.contains("@media print"), "styled for paper too");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void markdownTranscriptShowsHtmlAsTextNeutralisesScriptLinksAndHidesTerminalEscapes(String store) {
        Room room = Room.fresh(store);
        room.post("mallory", "<script>alert(1)</script><img src=x onerror=alert(2)> & co");
        room.post("mallory", "[click](javascript:alert(1)) [b]( JavaScript\\:alert(2)) [c](data:text/html,x)"
            + " [d](vbscript:msgbox)\n[ref]: javascript:alert(3)");
        room.post("mallory", "\u001b[31mred\u001b[0m\u0007\u009b2J\tend");
        room.post("mallory", "open evil\u202Etxt.exe\u202C now");
        String agentMarkdown = "Use `git push` and *not* **force**:\n- one\n- two\nSee [docs](https://example.com/a_b).";
        room.post("alice", agentMarkdown);
        assertEquals(200, new Rooms(room.server()).topic(room.name(), "<b>bold?</b> <img src=x onerror=alert(9)> `ok`").statusCode());
        String markdown = room.get("/messages/export").body();
        assertTrue(markdown.contains("**Topic:** &lt;b&gt;bold?&lt;/b&gt; &lt;img src=x onerror=alert(9)&gt; `ok`\n"), markdown);
        assertTrue(markdown.contains("> &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; co\n"),
            markdown);
        assertFalse(markdown.contains("<script") || markdown.contains("<img"), "no live HTML: " + markdown);
        assertFalse(markdown.toLowerCase().matches("(?s).*(\\]\\(\\s*|\\]:\\s*)(javascript|data|vbscript)\\\\?:.*"),
            "no script link target: " + markdown);
        assertTrue(markdown.contains("[click](unsafe:javascript:alert(1))"), markdown);
        assertTrue(markdown.contains("> \uFFFD[31mred\uFFFD[0m\uFFFD\uFFFD2J\tend\n"), "controls shown, tab kept: " + markdown);
        assertTrue(markdown.contains("> open evil\uFFFDtxt.exe\uFFFD now\n"), "no reordering: " + markdown);
        assertTrue(markdown.contains("> Use `git push` and *not* **force**:\n> - one\n> - two\n"
            + "> See [docs](https://example.com/a_b).\n"), "an agent's Markdown stays Markdown: " + markdown);

        String page = room.get("/messages/export?format=html").body();
        assertTrue(page.contains("<div class=\"text\" dir=\"auto\">\uFFFD[31mred\uFFFD[0m\uFFFD\uFFFD2J\tend</div>"), page);
        assertFalse(page.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t'), "no control character: " + page);

        String[] lines = room.get("/messages/export?format=jsonl").body().split("\n");
        assertEquals("\u001b[31mred\u001b[0m\u0007\u009b2J\tend", Json.parse(lines[3]).get("text").asText(), "JSON lines stay exact");
        assertEquals("open evil\u202Etxt.exe\u202C now", Json.parse(lines[4]).get("text").asText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void largeTranscriptIsStreamedInPagesWithEveryMessageOnce(String store) {
        Room room = Room.fresh(store);
        int count = Transcript.PAGE * 2 + 7;
        room.postAll("alice", count);
        HttpResponse<String> export = room.get("/messages/export?format=jsonl");
        assertEquals(200, export.statusCode());
        assertTrue(export.headers().firstValue("Content-Length").isEmpty(), "sent as it is written, not measured first");
        String[] lines = export.body().split("\n");
        assertEquals(count + 1, lines.length);
        for (int i = 1; i <= count; i++) {
            assertEquals(i, Json.parse(lines[i]).get("id").asLong());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void unknownExportFormatIsRefused(String store) {
        Room room = Room.fresh(store);
        HttpResponse<String> answer = room.get("/messages/export?format=pdf");
        assertEquals(400, answer.statusCode());
        JsonNode error = Json.parse(answer.body());
        assertEquals("invalid_parameter", error.get("code").asText());
        assertTrue(error.get("error").asText().contains("markdown, jsonl or html"), answer.body());
        assertEquals(401, new Rooms(room.server).get(room.name, "wrong", "/messages/export").statusCode());
    }

    private static List<Long> ids(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A new named room on the server of a store. */
    private record Room(TestServer server, String name) {
        static Room fresh(String store) {
            TestServer server = store.equals("redis") ? shared : memory;
            Room room = new Room(server, "history-" + ROOMS.incrementAndGet());
            assertEquals(201, new Rooms(server).create(room.name, PASSWORD).statusCode());
            return room;
        }

        void post(String agent, String text) {
            HttpResponse<String> answer = new Rooms(server).post(name, PASSWORD, agent, text);
            assertEquals(200, answer.statusCode(), answer.body());
        }

        void postJson(String body) {
            postJson("/messages", body);
        }

        void postJson(String path, String body) {
            HttpResponse<String> answer = server.send(HttpRequest.newBuilder(new Rooms(server).uri(name, path))
                .header("X-Room-Password", PASSWORD)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(200, answer.statusCode(), answer.body());
        }

        void postAll(String agent, int count) {
            for (int i = 1; i <= count; i++) {
                post(agent, "message " + i);
            }
        }

        HttpResponse<String> get(String pathAndQuery) {
            return new Rooms(server).get(name, PASSWORD, pathAndQuery);
        }

        List<Long> ids(String pathAndQuery) {
            HttpResponse<String> answer = get(pathAndQuery);
            assertEquals(200, answer.statusCode(), answer.body());
            List<Long> ids = new ArrayList<>();
            Json.parse(answer.body()).get("messages").forEach(m -> ids.add(m.get("id").asLong()));
            return ids;
        }
    }
}
