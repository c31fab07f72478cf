package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.api.model.MessageList;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poll or a read answers with a bounded amount of messages, its cursor at the last one it gives; a list
 * of every message is written a piece at a time; an MCP batch's answers together hold about one answer.
 */
class AnswerSizeTest {
    private static final int ANSWER_BYTES = 4000;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agent-chat.max-answer-bytes", Integer.toString(ANSWER_BYTES)));
        for (int i = 1; i <= 10; i++) {
            assertEquals(200, server.post("poster", i + " " + "x".repeat(1000)).statusCode());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPollOfALongHistoryAnswersAPageAtATimeAndItsCursorsGiveEveryMessageOnce() {
        List<Long> ids = new ArrayList<>();
        long after = 0;
        int answers = 0;
        while (after < 10 && answers++ < 20) {
            HttpResponse<String> polled = server.get("/messages/poll?after=" + after);
            assertEquals(200, polled.statusCode(), polled.body());
            assertTrue(polled.body().length() < ANSWER_BYTES + 1500, "bounded: " + polled.body().length());
            JsonNode answer = Json.parse(polled.body());
            JsonNode messages = answer.get("messages");
            assertFalse(messages.isEmpty());
            messages.forEach(m -> ids.add(m.get("id").asLong()));
            assertEquals(messages.get(messages.size() - 1).get("id").asLong(), answer.get("next").asLong(),
                "the cursor stops at the last message given");
            after = answer.get("next").asLong();
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), ids);
        assertTrue(answers > 2, "several answers: " + answers);
    }

    @Test
    void aPollWithALimitGivesAtMostThatManyMessagesAndMovesTheReadReceiptOnlyToTheLastOfThem() {
        JsonNode answer = Json.parse(server.get("/messages/poll?after=2&limit=1&agent=limited").body());

        assertEquals(1, answer.get("messages").size());
        assertEquals(3, answer.get("messages").get(0).get("id").asLong());
        assertEquals(3, answer.get("next").asLong(), "the cursor stops at the last message given");
        JsonNode agents = Json.parse(server.get("/agents").body()).get("agents");
        JsonNode limited = null;
        for (JsonNode agent : agents) {
            if (agent.get("name").asText().equals("limited")) {
                limited = agent;
            }
        }
        assertEquals(3, limited.get("read_up_to").asLong(), agents.toString());
    }

    @Test
    void aMessageLargerThanAnAnswerIsStillAnsweredAlone() {
        try (TestServer small = TestServer.start(Map.of("agent-chat.max-answer-bytes", "100"))) {
            small.post("poster", "y".repeat(500));
            small.post("poster", "second");
            JsonNode answer = Json.parse(small.get("/messages/poll?after=0").body());
            assertEquals(1, answer.get("messages").size());
            assertEquals(1, answer.get("next").asLong());
            assertEquals(2, Json.parse(small.get("/messages/poll?after=1").body()).get("messages").get(0).get("id").asLong());
        }
    }

    @Test
    void theMcpReadOfALongHistorySaysMoreRemainAndTheNextReadGoesOn() {
        String session = initialize("mcp-reader");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String text = call(session, "{\"jsonrpc\":\"2.0\",\"id\":" + (10 + i) + ",\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"read_messages\",\"arguments\":{}}}");
            texts.add(text);
            if (!text.contains("More unread messages remain")) {
                break;
            }
        }
        assertTrue(texts.size() > 2, "several reads: " + texts.size());
        String all = String.join("\n", texts);
        for (int i = 1; i <= 10; i++) {
            assertEquals(1, count(all, "#" + i + " "), "message #" + i + " once in: " + all.length() + " characters");
        }
        assertFalse(texts.get(texts.size() - 1).contains("More unread messages remain"));
    }

    private static int count(String text, String part) {
        int found = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            found++;
        }
        return found;
    }

    @Test
    void aLongListGoesOutAPieceAtATimeAsTheSameJsonAndAShortOneWithItsLength() throws IOException {
        try (TestServer big = TestServer.start()) {
            for (int i = 1; i <= 40; i++) {
                // characters the JSON escapes, and some it does not
                assertEquals(200, big.post("poster", i + " " + "é\"\\\n\t<".repeat(2_000)).statusCode());
            }
            HttpResponse<String> list = big.get("/messages");

            assertEquals(200, list.statusCode(), list.body());
            assertTrue(list.headers().firstValue("content-length").isEmpty(), "written in pieces: " + list.headers().map());
            JsonMapper json = big.context().getBean(JsonMapper.class);
            MessageList messages = json.readValue(list.body(), MessageList.class);
            assertEquals(40, messages.getMessages().size());
            assertEquals(json.writeValueAsString(messages), list.body(), "the JSON of the list, as any other answer's");

            HttpResponse<String> page = big.get("/messages?limit=2");
            assertEquals(String.valueOf(page.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                page.headers().firstValue("content-length").orElse(null), "a short list is sent whole, with its length");
            assertEquals(json.writeValueAsString(json.readValue(page.body(), MessageList.class)), page.body());
        }
    }

    @Test
    void aBatchStopsRunningItsRequestsOnceTheirAnswersFillAnAnswer() {
        String session = initialize("mcp-batcher");
        String list = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/list\"}";
        HttpResponse<String> answered = server.send(mcp(session, "mcp-batcher",
            "[" + String.format(list, 1) + "," + String.format(list, 2) + "," + String.format(list, 3) + "]"));

        assertEquals(200, answered.statusCode(), answered.body());
        JsonNode answers = Json.parse(answered.body());
        assertEquals(3, answers.size(), answered.body());
        assertTrue(answers.get(0).get("result").get("tools").size() > 5, "the first is answered, whatever its size");
        for (int i = 1; i < 3; i++) {
            JsonNode refused = answers.get(i);
            assertEquals(i + 1, refused.get("id").asInt());
            assertTrue(refused.has("error"), "not run: " + refused);
            assertEquals(-32000, refused.get("error").get("code").asInt(), refused.toString());
            assertTrue(refused.get("error").get("message").asText().contains(ANSWER_BYTES + " bytes"), refused.toString());
        }
        assertTrue(answered.body().length() < 2 * ANSWER_BYTES + answers.get(0).toString().length(),
            "bounded: " + answered.body().length());
    }

    private static String initialize(String agent) {
        HttpResponse<String> initialized = server.send(mcp(null, agent, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
            + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"));
        assertEquals(200, initialized.statusCode(), initialized.body());
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        server.send(mcp(session, agent, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
        return session;
    }

    /** A tool call's text. */
    private static String call(String session, String body) {
        HttpResponse<String> answered = server.send(mcp(session, "mcp-reader", body));
        assertEquals(200, answered.statusCode(), answered.body());
        String json = answered.body().startsWith("{") ? answered.body()
            : answered.body().replaceAll("(?s).*?data: (\\{.*\\})\\s*$", "$1");
        return Json.parse(json).get("result").get("content").get(0).get("text").asText();
    }

    private static HttpRequest mcp(String session, String agent, String body) {
        HttpRequest.Builder request = server.authed("/mcp").header("X-Agent-Name", agent)
            .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }
}
