package dev.agentchat.web;

import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

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
    void apiAnswersCarryCorsHeader() {
        assertEquals("*", server.get("/messages").headers().firstValue("access-control-allow-origin").orElse(""));
    }

    private static HttpResponse<String> get(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
    }
}
