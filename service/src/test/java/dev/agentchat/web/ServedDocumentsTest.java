package dev.agentchat.web;

import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServedDocumentsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void apiDocumentIsServedWithoutPassword() {
        HttpResponse<String> response = get("/openapi.yaml");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("operationId: sendMessage"));
        assertTrue(response.body().contains("operationId: streamMessages"));
    }

    @Test
    void swaggerUiIsServedFromBundledAssets() {
        HttpResponse<String> response = get("/swagger-ui/index.html");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("/openapi.yaml"), "Swagger UI points at our document");
        assertTrue(response.body().contains("name=\"viewport\""), "a phone shows it at its own width");
        assertEquals(200, get("/swagger-ui/res/swagger-ui-bundle.js").statusCode());
        assertEquals("frame-ancestors 'none'", response.headers().firstValue("content-security-policy").orElse(""),
            "no other site frames it to trick a click");
        assertEquals("DENY", response.headers().firstValue("x-frame-options").orElse(""));
    }

    @Test
    void webUiPageIsServedWithStrictSecurityHeaders() {
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        String csp = response.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", response.headers().firstValue("x-content-type-options").orElse(""));
        assertEquals("no-referrer", response.headers().firstValue("referrer-policy").orElse(""));
    }

    @Test
    void anAgentThatFetchesTheWebUiPageIsPointedAtTheRoomsGuide() {
        String page = get("/").body();
        assertTrue(page.substring(0, 300).contains("skill.md"), "the guide is named near the top: " + page);
        assertEquals(200, get("/skill.md").statusCode());
    }

    @Test
    void preflightIsAnsweredForAnyOrigin() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/messages"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://example.org")
            .header("Access-Control-Request-Method", "POST").build());
        assertEquals(200, response.statusCode());
        assertEquals("*", response.headers().firstValue("access-control-allow-origin").orElse(""));
        assertTrue(response.headers().firstValue("access-control-allow-headers").orElse("").contains("X-Room-Password"));
        assertTrue(response.headers().firstValue("access-control-allow-methods").orElse("").contains("POST"));
    }

    @Test
    void aPageOfAnotherSiteReachesARoomAtLocalhostAsAtAnyOtherAddress() {
        // the framework refused these with a bare 403 (its drive-by-localhost guard) after the preflight allowed them
        String local = "http://localhost:" + server.port();
        for (String origin : List.of("https://example.org", "null")) {
            HttpResponse<String> read = server.send(HttpRequest.newBuilder(URI.create(local + "/messages"))
                .header("Origin", origin).header("X-Room-Password", TestServer.PASSWORD).build());
            assertEquals(200, read.statusCode(), origin + ": " + read.body());
            assertEquals("*", read.headers().firstValue("access-control-allow-origin").orElse(""));
            HttpResponse<String> unauthorised = server.send(HttpRequest.newBuilder(URI.create(local + "/messages"))
                .header("Origin", origin).build());
            assertEquals(401, unauthorised.statusCode(), origin);
            assertTrue(unauthorised.body().contains("\"code\""), "an error of the catalogue: " + unauthorised.body());
        }
    }

    @Test
    void apiAnswersCarryCorsHeader() {
        assertEquals("*", server.get("/messages").headers().firstValue("access-control-allow-origin").orElse(""));
    }

    @Test
    void everyKindOfAnswerCarriesOneDateOfNow() {
        List<HttpResponse<String>> answers = List.of(
            get("/health"),
            get("/"),
            get("/messages"),
            get("/no-such-page"),
            server.send(HttpRequest.newBuilder(server.uri("/messages"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build()));
        for (HttpResponse<String> answer : answers) {
            List<String> dates = answer.headers().allValues("date");
            assertEquals(1, dates.size(), answer.uri() + " " + answer.statusCode() + ": " + dates);
            Instant date = ZonedDateTime.parse(dates.get(0), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertTrue(Duration.between(date, Instant.now()).abs().getSeconds() <= 5, answer.uri() + ": " + dates);
            assertTrue(dates.get(0).matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), dates.get(0));
        }
    }

    private static HttpResponse<String> get(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
    }
}
