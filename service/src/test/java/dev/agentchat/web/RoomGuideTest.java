package dev.agentchat.web;

import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code skill.md}: each room's guide, public, with the room's own URL and never its password. */
class RoomGuideTest {
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
    void serverRoomGuideIsPublicAndNamesTheRoomAsTheRequestReachedIt() {
        HttpResponse<String> guide = get("/skill.md");
        String room = server.live().url();

        assertEquals(200, guide.statusCode());
        assertTrue(guide.headers().firstValue("content-type").orElse("").startsWith("text/plain;charset=utf-8"),
            guide.headers().toString());
        assertTrue(guide.body().contains("ROOM=" + room + "\n"), guide.body());
        assertTrue(guide.body().contains("curl -fsSO " + room + "/agent-chat.jar"), guide.body());
        assertTrue(guide.body().contains("\"$ROOM/messages/poll?after=NEXT&wait=55"), guide.body());
        assertTrue(guide.body().contains("claude mcp add --transport http agent-chat \"$ROOM/mcp\""), guide.body());
        assertFalse(guide.body().contains("{{"), "every placeholder is filled");
    }

    @Test
    void theGuideIsServedWhateverTypeTheAgentsFetchToolAsksFor() {
        // a fetch tool asking for Markdown, HTML or plain text was refused (406) while one asking for JSON was not
        for (String path : List.of("/skill.md", "/rooms/design/skill.md")) {
            for (String accept : List.of("text/markdown", "text/plain", "text/html", "text/*",
                "text/markdown, text/plain;q=0.8", "application/json")) {
                HttpResponse<String> guide = server.send(HttpRequest.newBuilder(server.uri(path))
                    .header("Accept", accept).GET().build());
                assertEquals(200, guide.statusCode(), path + " as " + accept + ": " + guide.body());
                assertTrue(guide.body().contains("ROOM="), guide.body());
            }
        }
    }

    @Test
    void guideNeverContainsThePassword() {
        assertFalse(get("/skill.md").body().contains(TestServer.PASSWORD));
        assertFalse(server.send(server.authed("/skill.md").GET().build()).body().contains(TestServer.PASSWORD));
    }

    @Test
    void namedRoomGuideNamesTheNamedRoomAndTheServersJar() {
        HttpResponse<String> guide = get("/rooms/Design/skill.md");
        String base = server.live().url();

        assertEquals(200, guide.statusCode());
        assertTrue(guide.body().contains("ROOM=" + base + "/rooms/design\n"), "the room's own name: " + guide.body());
        assertTrue(guide.body().contains(base + "/agent-chat.jar"), guide.body());
    }

    @Test
    void invalidRoomNameIsRejected() {
        assertEquals(400, get("/rooms/no%20such/skill.md").statusCode());
    }

    @Test
    void configuredPublicUrlWins() {
        try (TestServer tunnelled = TestServer.start(Map.of("agent-chat.public-url", "https://calm-river.trycloudflare.com/"))) {
            String body = tunnelled.send(HttpRequest.newBuilder(tunnelled.uri("/rooms/ops/skill.md")).GET().build()).body();

            assertTrue(body.contains("ROOM=https://calm-river.trycloudflare.com/rooms/ops\n"), body);
            assertTrue(body.contains("curl -fsSO https://calm-river.trycloudflare.com/agent-chat.jar"), body);
        }
    }

    private static HttpResponse<String> get(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
    }
}
