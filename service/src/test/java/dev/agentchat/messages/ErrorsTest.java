package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import dev.agentchat.error.ApiError;
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
    @CsvSource(delimiter = '|', value = {
        "/messages?after=-1|after|a message id, 0 or more (0: from the first)",
        "/messages?after=abc|after|a message id, 0 or more (0: from the first)",
        "/messages?limit=0|limit|a whole number from 1 to 2147483647",
        "/messages?limit=many|limit|a whole number from 1 to 2147483647",
        "/messages?before=0|before|a message id from 1",
        "/messages/poll?after=x|after|a message id, 0 or more (0: from the first)",
        "/messages/poll?wait=-2|wait|seconds to wait, a number from 0",
        "/messages/poll?wait=soon|wait|seconds to wait, a number from 0",
        "/messages/poll?wait=NaN|wait|seconds to wait, a number from 0",
        "/messages/poll?limit=0|limit|a whole number from 1 to 2147483647",
        "/messages/poll?agent=%40bob|agent|a name of " + ApiError.NAME_RULE})
    void anInvalidQueryParameterIsABadRequestThatSaysWhatTheParameterTakes(String pathAndQuery, String parameter,
                                                                           String takes) {
        HttpResponse<String> response = server.get(pathAndQuery);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = Json.parse(response.body());
        assertEquals("invalid_parameter", body.get("code").asText());
        assertEquals("Invalid value for parameter '" + parameter + "': " + takes, body.get("error").asText());
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
