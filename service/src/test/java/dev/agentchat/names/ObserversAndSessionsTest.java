package dev.agentchat.names;

import dev.agentchat.TestServer;
import dev.agentchat.hosting.Rooms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guests who only watch, and the browser's session cookie, over real HTTP. */
class ObserversAndSessionsTest {
    private static final String OBSERVER = "just-looking";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agent-chat.observer-password", OBSERVER));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theObserverPasswordReadsEverythingAndWritesNothing() {
        server.post("writer", "something to read");
        assertEquals(200, observed("/messages").statusCode());
        assertEquals(200, observed("/agents").statusCode());
        assertEquals(200, observed("/room").statusCode());
        assertEquals(200, observed("/messages/poll?after=0").statusCode());
        for (HttpRequest write : new HttpRequest[] {
            asObserver("/messages").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"peeper\",\"text\":\"hi\"}")).build(),
            asObserver("/join").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"peeper\"}")).build(),
            asObserver("/agents/peeper/cursor").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"after\":1}")).build()}) {
            HttpResponse<String> refused = server.send(write);
            assertEquals(403, refused.statusCode(), write.uri().toString());
            assertTrue(refused.body().contains("\"code\":\"read_only\""), refused.body());
        }
    }

    @Test
    void anObserversPollAsSomeAgentNeitherMakesItPresentNorMovesItsReadReceipt() {
        server.post("writer", "read me @carol");

        HttpResponse<String> polled = observed("/messages/poll?after=0&agent=carol");

        assertEquals(200, polled.statusCode());
        assertTrue(polled.body().contains("read me @carol"), polled.body());
        String agents = observed("/agents").body();
        assertFalse(agents.contains("\"name\":\"carol\""), "carol never spoke or listened: " + agents);
        assertEquals(200, observed("/agents/carol/cursor").statusCode());
        assertTrue(observed("/agents/carol/cursor").body().contains("\"after\":0"), "carol's receipt did not move");
    }

    @Test
    void aRoomsOwnObserverPasswordOpensOnlyThatRoom() {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/rooms/watched"))
            .header("X-Room-Password", "watched-pw").header("X-Observer-Password", "watch-only")
            .header("Authorization", "Bearer " + server.live().hostKey())
            .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        Rooms rooms = new Rooms(server);
        assertEquals(200, rooms.get("watched", "watch-only", "/messages").statusCode());
        assertEquals(403, rooms.post("watched", "watch-only", "x", "hi").statusCode());
        assertEquals(401, server.send(HttpRequest.newBuilder(server.uri("/messages"))
            .header("X-Room-Password", "watch-only").GET().build()).statusCode());
    }

    @Test
    void aRoomCannotBeMadeWithTheServersObserverPasswordOrHostKeyAsOneOfItsPasswords() {
        String hostKey = server.live().hostKey();
        for (String[] passwords : new String[][] {{OBSERVER, null}, {hostKey, null}, {"fine-pw", OBSERVER}, {"fine-pw", hostKey}}) {
            HttpRequest.Builder create = HttpRequest.newBuilder(server.uri("/rooms/borrowed"))
                .header("X-Room-Password", passwords[0]).header("Authorization", "Bearer " + hostKey);
            if (passwords[1] != null) {
                create.header("X-Observer-Password", passwords[1]);
            }
            HttpResponse<String> refused = server.send(create.PUT(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("must differ from the server's observer password and host key"), refused.body());
        }
        // so the server's observers only read there, as everywhere
        assertEquals(201, new Rooms(server).create("borrowed", "fine-pw").statusCode());
        assertEquals(403, new Rooms(server).post("borrowed", OBSERVER, "x", "hi").statusCode());
    }

    @Test
    void aSessionCookieStandsForThePasswordSoTheStreamNeedsNoSecretInItsUrl() throws Exception {
        HttpResponse<String> opened = server.send(server.authed("/session").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, opened.statusCode(), opened.body());
        assertTrue(opened.body().contains("\"role\":\"member\""), opened.body());
        String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith("agent-chat-session="), setCookie);
        assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<Stream<String>> stream = server.http().sendAsync(HttpRequest.newBuilder(server.uri("/messages/stream"))
            .header("Cookie", cookie).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());
        stream.body().close();

        HttpResponse<String> stale = server.send(HttpRequest.newBuilder(server.uri("/messages"))
            .header("Cookie", "agent-chat-session=made-up").GET().build());
        assertEquals(401, stale.statusCode());
        assertTrue(stale.body().contains("\"code\":\"session_ended\""), stale.body());

        HttpResponse<String> closed = server.send(HttpRequest.newBuilder(server.uri("/session")).header("Cookie", cookie)
            .DELETE().build());
        assertEquals(204, closed.statusCode());
        assertEquals(401, server.send(HttpRequest.newBuilder(server.uri("/messages")).header("Cookie", cookie)
            .GET().build()).statusCode());
    }

    @Test
    void aPageOfAnotherOriginCannotActWithTheSessionButTheRoomsOwnPageCan() {
        HttpResponse<String> opened = server.send(server.authed("/session").POST(HttpRequest.BodyPublishers.noBody()).build());
        String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> sameSite = post(cookie, "same-site", "from a page on another port");
        HttpResponse<String> own = post(cookie, "same-origin", "from the room's page");
        HttpResponse<String> noBrowser = post(cookie, null, "from a client that is no browser");

        assertEquals(403, sameSite.statusCode(), sameSite.body());
        assertTrue(sameSite.body().contains("\"code\":\"cross_site_request\""), sameSite.body());
        assertEquals(200, own.statusCode(), own.body());
        assertEquals(200, noBrowser.statusCode(), noBrowser.body());
        assertFalse(server.get("/messages").body().contains("from a page on another port"));
    }

    private HttpResponse<String> post(String cookie, String site, String text) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/messages")).header("Cookie", cookie)
            .header("Content-Type", "text/plain").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"visitor\",\"text\":" + TestServer.quote(text) + "}"));
        if (site != null) {
            request.header("Sec-Fetch-Site", site);
        }
        return server.send(request.build());
    }

    @Test
    void aNamedRoomsCookieIsScopedToThatRoom() {
        new Rooms(server).create("cookie-room", "cookie-pw");
        HttpResponse<String> opened = server.send(HttpRequest.newBuilder(server.uri("/rooms/cookie-room/session"))
            .header("X-Room-Password", "cookie-pw").POST(HttpRequest.BodyPublishers.noBody()).build());
        String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith("agent-chat-session-cookie-room="), setCookie);
        assertTrue(setCookie.contains("Path=/rooms/cookie-room"), setCookie);
    }

    private static HttpResponse<String> observed(String path) {
        return server.send(asObserver(path).GET().build());
    }

    private static HttpRequest.Builder asObserver(String path) {
        return HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).header("X-Room-Password", OBSERVER);
    }
}
