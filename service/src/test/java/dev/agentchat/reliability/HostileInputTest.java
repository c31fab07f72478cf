package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets its own JSON error and status, never a 500. */
class HostileInputTest {
    private static LiveServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        server = RawHttp.server(Map.of("agent-chat.max-message-bytes", 100,
            "micronaut.server.max-request-size", 1024,
            "agent-chat.limits.send-burst-per-address", 10_000, "agent-chat.limits.send-burst-per-agent", 10_000));
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void textOverTheLimitIsRefusedWith413NamingTheLimit() throws IOException {
        Response r = http.postJson("{\"text\":\"" + "é".repeat(51) + "\"}");
        assertError(r, 413, "message_too_large");
        assertTrue(r.body().contains("\"limit\":100"), r.body());
        assertEquals(200, http.postJson("{\"text\":\"" + "é".repeat(50) + "\"}").status());
    }

    @Test
    void bodyOverTheRequestSizeIsRefusedWith413Json() throws IOException {
        Response r = http.send("POST", "/claims", Map.of("X-Room-Password", RawHttp.PASSWORD, "Content-Type", "application/json"),
            ("{\"agent\":\"a\",\"resource\":\"" + "a".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8), "127.0.0.1");
        assertError(r, 413, "body_too_large");
        assertTrue(r.body().contains("\"limit\":1024"), r.body());
    }

    @Test
    void aMessageOverTheRequestSizeIsToldTheRoomsMessageLimitNotTheRequestSize() throws IOException {
        Response r = http.postJson("{\"text\":\"" + "a".repeat(2000) + "\"}");
        assertError(r, 413, "message_too_large");
        assertTrue(r.body().contains("\"limit\":100"), r.body());
        assertTrue(r.body().contains("Message is over 100 bytes; this room takes at most 100. Split it or send a file path."),
            "the words of a text over the limit: " + r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"" + "n123456789n123456789n123456789n123456789n123456789n123456789abcde\"",
        "\"bad\\u0000name\"", "\"line\\nbreak\"", "\"tab\\tname\""})
    void invalidAgentNamesAreRefusedWith400(String agent) throws IOException {
        assertError(http.postJson("{\"agent\":" + agent + ",\"text\":\"hi\"}"), 400, "invalid_agent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"zed \"", "\" zed\"", "\"   \"", "\"\\u00a0zed\"", "\"z\\u200bed\"",
        "\"\\u202edez\"", "\"\\ufeffzed\"", "\"@zed\"", "\"z\\u034fed\"", "\"z\\ufe0fed\"", "\"z\\u115fed\"",
        "\"z\\u3164ed\"", "\"z\\u2800ed\"", "\"z\\uffffed\"", "\"z\\ue000ed\"", "\"zed\\udb40\\udd00\""})
    void namesThatPassForAnotherAreRefusedWith400(String agent) throws IOException {
        Response r = http.postJson("{\"agent\":" + agent + ",\"text\":\"I am zed\"}");
        assertError(r, 400, "invalid_agent");
        assertTrue(r.body().contains("invisible characters, spaces at either end or a leading @"), r.body());
    }

    @Test
    void aNameInAUrlWhoseBytesAreNoUtf8IsRefusedRatherThanReadAsTheReplacementCharacter() throws IOException {
        assertError(http.send("POST", "/agents/%ED%A0%80/kick", RawHttp.asHost(Map.of()), null, "127.0.0.1"), 400, "invalid_agent");
        assertError(http.send("GET", "/messages/poll?agent=%ED%A0%80", Map.of("X-Room-Password", RawHttp.PASSWORD), null,
            "127.0.0.1"), 400, "invalid_parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "a\\udc00b", "\\ud83d"})
    void aLoneSurrogateIsRefusedAndAPairIsKept(String escaped) throws IOException {
        Response refused = http.postJson("{\"text\":\"" + escaped + "\"}");
        assertError(refused, 400, "invalid_field");
        assertTrue(refused.body().contains("'text'"), refused.body());
        Response addressed = http.postJson("{\"text\":\"hi\",\"to\":[\"bob\",\"" + escaped + "\"]}");
        assertError(addressed, 400, "invalid_field");
        assertTrue(addressed.body().contains("'to'"), addressed.body());
        Response kept = http.postJson("{\"text\":\"smile \\ud83d\\ude00\"}");
        assertEquals(200, kept.status(), kept.body());
        assertTrue(kept.body().contains("smile 😀") || kept.body().contains("smile \\uD83D\\uDE00"), kept.body());
    }

    @Test
    void aReplyToAMessageTheRoomHasNotReachedIsRefusedAndNothingIsStored() throws IOException {
        Response r = http.postJson("{\"agent\":\"replier\",\"text\":\"answering the future\",\"reply_to\":99999999}");
        assertError(r, 400, "invalid_field");
        assertTrue(r.body().contains("'reply_to' is #99999999"), r.body());
        assertFalse(http.get("/messages").body().contains("answering the future"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team Lead", "café", "日本語", "a-b_c.d", "zed@home", "Ann ❤️", "한글"})
    void namesWithInnerSpacesAndAnyScriptAreAccepted(String agent) throws IOException {
        assertEquals(200, http.postJson("{\"agent\":\"" + agent + "\",\"text\":\"hi\"}").status());
    }

    @Test
    void agentNamesOfSixtyFourCharactersAreAccepted() throws IOException {
        assertEquals(200, http.postJson("{\"agent\":\"" + "ü".repeat(64) + "\",\"text\":\"hi\"}").status());
    }

    @Test
    void missingOrNullAgentIsAnonymous() throws IOException {
        assertTrue(http.postJson("{\"text\":\"hi\"}").body().contains("\"agent\":\"anonymous\""));
        assertTrue(http.postJson("{\"agent\":null,\"text\":\"hi\"}").body().contains("\"agent\":\"anonymous\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":123}", "{\"text\":true}", "{\"text\":[\"a\"]}", "{\"text\":{\"a\":1}}",
        "{\"text\":\"hi\",\"agent\":5}", "{\"text\":\"hi\",\"agent\":[]}", "{\"text\":\"hi\",\"to\":\"bob\"}",
        "{\"text\":\"hi\",\"to\":[1]}", "{\"text\":\"hi\",\"reply_to\":\"1\"}", "{\"text\":\"hi\",\"reply_to\":1.5}",
        "{\"text\":\"hi\",\"reply_to\":1e400}", "{\"text\":\"hi\",\"reply_to\":99999999999999999999}"})
    void wrongJsonTypesAreRefusedWith400(String body) throws IOException {
        assertError(http.postJson(body), 400, "invalid_field");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":null}", "{\"text\":\"\"}", "{}"})
    void missingTextIsRefusedWithTheOriginalMessage(String body) throws IOException {
        Response r = http.postJson(body);
        assertError(r, 400, "text_required");
        assertTrue(r.body().contains("\"error\":\"Message text required\""), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "42", "\"text\"", "{", "{\"text\":\"a\"", "not json", ""})
    void bodiesThatAreNotAJsonObjectAreRefusedWith400(String body) throws IOException {
        assertError(http.postJson(body), 400, "invalid_json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":\"one\"}{\"text\":\"two\"}", "{\"text\":\"one\"}\n{\"text\":\"two\"}\n",
        "{\"text\":\"one\"} trailing", "{\"text\":\"one\"}]"})
    void aBodyWithMoreAfterItsObjectIsRefusedWith400AndPostsNothing(String body) throws IOException {
        Response r = http.postJson(body);
        assertError(r, 400, "invalid_json");
        assertTrue(r.body().contains("something follows the body's JSON object"), r.body());
        assertFalse(http.send("GET", "/messages", Map.of("X-Room-Password", RawHttp.PASSWORD), null, "127.0.0.1").body()
            .contains("\"one\""), "nothing was posted");
    }

    @Test
    void stringsThatLookLikeTheEndOfTheObjectAndTrailingWhitespaceAreFine() throws IOException {
        assertEquals(200, http.postJson("{\"text\":\"} ] \\\" {\", \"agent\":\"x\"}\r\n\t ").status());
    }

    @Test
    void nestingDeeperThanTheParserAllowsIsRefusedWith400() throws IOException {
        assertError(http.postJson("{\"x\":" + "[".repeat(1010)), 400, "invalid_json");
        // nesting within the bound in an unknown field is ignored, as unknown fields are
        assertEquals(200, http.postJson("{\"text\":\"hi\",\"x\":" + "[".repeat(400) + "]".repeat(400) + "}").status());
    }

    @Test
    void invalidUtf8IsRefusedWith400() throws IOException {
        byte[] body = "{\"text\":\"ab\"}".getBytes(StandardCharsets.UTF_8);
        body[10] = (byte) 0xFF;
        Response r = http.send("POST", "/messages",
            Map.of("X-Room-Password", RawHttp.PASSWORD, "Content-Type", "application/json"), body, "127.0.0.1");
        assertError(r, 400, "invalid_json");
    }

    @Test
    void bodyThatIsNotWhatItsContentEncodingSaysIsRefusedWith400() throws IOException {
        Response r = http.send("POST", "/messages", Map.of("X-Room-Password", RawHttp.PASSWORD,
            "Content-Type", "application/json", "Content-Encoding", "gzip"),
            "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1");
        assertError(r, 400, "invalid_encoding");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "application/xml", "multipart/form-data; boundary=x", "image/png"})
    void unknownContentTypesAreRefusedWith415(String type) throws IOException {
        Response r = http.send("POST", "/messages", Map.of("X-Room-Password", RawHttp.PASSWORD, "Content-Type", type),
            "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1");
        assertError(r, 415, "unsupported_media_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/messages?after=-1", "/messages?after=abc", "/messages?limit=0", "/messages?limit=-5",
        "/messages?limit=x", "/messages/poll?after=-1", "/messages/poll?after=1.5", "/messages/poll?wait=-1",
        "/messages/poll?wait=soon", "/messages/poll?agent=%00", "/messages/stream?after=-3", "/messages/stream?after=z",
        "/messages/stream?for=%0A", "/messages/stream?events=bogus", "/agents/ann/cursor?mentions_only=maybe",
        "/agents/ann/cursor?mentions_only="})
    void invalidQueryParametersAreRefusedWith400(String path) throws IOException {
        assertError(http.get(path), 400, "invalid_parameter");
    }

    @Test
    void invalidLastEventIdIsRefusedWith400() throws IOException {
        Response r = http.send("GET", "/messages/stream",
            Map.of("X-Room-Password", RawHttp.PASSWORD, "Last-Event-ID", "nope"), null, "127.0.0.1");
        assertError(r, 400, "invalid_parameter");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST|/join|{\"agent\":123}|agent",
        "POST|/join|{\"agent\":\"typed\",\"kind\":\"robot\"}|kind",
        "POST|/claims|{\"agent\":\"typed\",\"resource\":\"src/**\",\"ttl_seconds\":\"60\"}|ttl_seconds",
        "POST|/claims|{\"agent\":\"typed\",\"resource\":[\"src\"]}|resource",
        "POST|/messages/1/ack|{\"agent\":true}|agent",
        "POST|/room/brake/release|{\"kind\":1}|kind",
        "PUT|/agents/typed/cursor|{\"after\":\"5\"}|after",
        "PUT|/room/topic|{\"topic\":5}|topic"})
    void everyBodyFieldOfTheWrongTypeIsRefusedNamingTheField(String method, String path, String body, String field)
        throws IOException {
        http.postJson("{\"agent\":\"typed-author\",\"text\":\"a message to acknowledge\"}");
        Response r = http.send(method, path, RawHttp.asHost(Map.of("X-Room-Password", RawHttp.PASSWORD,
            "Content-Type", "application/json")), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
        assertError(r, 400, "invalid_field");
        assertTrue(r.body().contains("'" + field + "'"), r.body());
        assertFalse(r.body().contains("Request") || r.body().contains("parameter"), "no Java name leaks: " + r.body());
    }

    static void assertError(Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        assertTrue(r.body().contains("\"code\":\"" + code + "\""), r.body());
    }
}
