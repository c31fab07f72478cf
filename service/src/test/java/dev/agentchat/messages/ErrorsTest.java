package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error is JSON with the right status and a body the client can read to its end. */
class ErrorsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"/messages", "/messages/poll", "/messages/stream", "/agents"})
    void wrongPasswordIsRejected(String path) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(path))
            .header("X-Room-Password", "wrong").GET().build());
        assertError(response, 401, "Invalid password");
    }

    @Test
    void missingPasswordIsRejected() {
        assertError(server.send(HttpRequest.newBuilder(server.uri("/messages")).GET().build()), 401, "Invalid password");
    }

    @Test
    void healthNeedsNoPassword() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/health")).GET().build());
        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"ok\"}", response.body());
    }

    @Test
    void bodyThatIsNotJsonIsInvalidJson() {
        assertError(server.postJson("this is not json"), 400, "Invalid JSON");
    }

    @Test
    void emptyBodyIsInvalidJson() {
        assertError(server.postJson(""), 400, "Invalid JSON");
    }

    @Test
    void missingEmptyOrBlankTextIsRequired() {
        assertError(server.postJson("{\"agent\":\"a\"}"), 400, "Message text required");
        assertError(server.postJson("{\"agent\":\"a\",\"text\":\"\"}"), 400, "Message text required");
        assertError(server.postJson("{\"agent\":\"a\",\"text\":\"  \\n\\t \"}"), 400, "Message text required");
    }

    @Test
    void objectWhereTextBelongsIsRejected() {
        HttpResponse<String> response = server.postJson("{\"agent\":\"a\",\"text\":{\"nested\":true}}");
        assertEquals(400, response.statusCode());
    }

    @Test
    void unknownPathIsNotFoundJson() {
        assertError(server.get("/no/such/thing"), 404, "Not found");
    }

    @Test
    void otherContentTypesAreUnsupported() {
        HttpResponse<String> response = server.send(server.authed("/messages")
            .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString("<m/>")).build());
        assertEquals(415, response.statusCode());
        assertTrue(Json.parse(response.body()).has("error"));
    }

    @ParameterizedTest
    @CsvSource({"/messages?after=-1", "/messages?after=abc", "/messages?limit=0", "/messages/poll?after=x",
        "/messages/poll?wait=-2", "/messages/poll?wait=soon", "/messages/poll?wait=NaN", "/messages/poll?limit=0"})
    void invalidQueryParametersAreBadRequests(String pathAndQuery) {
        HttpResponse<String> response = server.get(pathAndQuery);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(Json.parse(response.body()).get("error").asText().startsWith("Invalid"));
    }

    @Test
    void invalidLastEventIdIsABadRequest() {
        HttpResponse<String> response = server.send(server.authed("/messages/stream")
            .header("Last-Event-ID", "not-a-number").GET().build());
        assertEquals(400, response.statusCode());
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertEquals(String.valueOf(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
            response.headers().firstValue("content-length").orElse("chunked"), "errors are framed by Content-Length");
        JsonNode body = Json.parse(response.body());
        assertEquals(message, body.get("error").asText());
    }
}
