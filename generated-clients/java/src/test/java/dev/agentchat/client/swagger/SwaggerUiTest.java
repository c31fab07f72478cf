package dev.agentchat.client.swagger;

import dev.agentchat.client.testkit.LiveRoom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Swagger UI is served by the service itself, with every asset bundled (it must work offline),
 * and it reads /openapi.yaml, whose roomPassword scheme lets "Authorize" send X-Room-Password.
 */
class SwaggerUiTest {

    private static final Pattern ASSET = Pattern.compile("\"(/swagger-ui/res/[^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LiveRoom room;

    @BeforeAll
    static void startRoom() {
        room = LiveRoom.start();
    }

    @AfterAll
    static void stopRoom() {
        room.close();
    }

    @Test
    void swaggerUiPageLoadsTheDocumentAndOnlyLocalAssets() throws Exception {
        HttpResponse<String> page = get("/swagger-ui/index.html", null);

        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("'/openapi.yaml'"), "it reads the served API document");
        assertFalse(Pattern.compile("(src|href|url)\\s*[:=]\\s*['\"]https?://").matcher(page.body()).find(),
            "no asset comes from a CDN");
        assertTrue(page.body().contains("validatorUrl: null"), "no call to the online validator");
    }

    @Test
    void everyAssetTheSwaggerUiPageNeedsIsServedLocally() throws Exception {
        String page = get("/swagger-ui/index.html", null).body();
        List<String> assets = ASSET.matcher(page).results().map(m -> m.group(1)).toList();

        assertTrue(assets.containsAll(List.of("/swagger-ui/res/swagger-ui.css",
            "/swagger-ui/res/swagger-ui-bundle.js", "/swagger-ui/res/swagger-ui-standalone-preset.js")), assets::toString);
        for (String asset : assets) {
            HttpResponse<String> response = get(asset, null);
            assertEquals(200, response.statusCode(), asset);
            assertTrue(response.body().length() > 500, asset + " has content");
        }
        assertTrue(get("/swagger-ui/res/swagger-ui-bundle.js", null).headers()
            .firstValue("Content-Type").orElse("").contains("javascript"));
    }

    @Test
    void servedDocumentOffersTheRoomPasswordHeaderForAuthorize() throws Exception {
        HttpResponse<String> document = get("/openapi.yaml", null);

        assertEquals(200, document.statusCode());
        Matcher scheme = Pattern.compile("roomPassword:\\s*\\n\\s*type: apiKey\\s*\\n\\s*in: header\\s*\\n\\s*name: X-Room-Password")
            .matcher(document.body());
        assertTrue(scheme.find(), "roomPassword is an apiKey header X-Room-Password");
        assertTrue(document.body().contains("operationId: sendMessage"));
    }

    @Test
    void authorizedRequestAsSwaggerUiSendsItSucceedsAndAWrongOneIsRefused() throws Exception {
        assertEquals(200, get("/messages", room.password()).statusCode());
        HttpResponse<String> refused = get("/messages", "wrong");
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("\"code\":\"invalid_password\""));
    }

    private static HttpResponse<String> get(String path, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(room.url() + path));
        if (password != null) {
            request.header("X-Room-Password", password);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
