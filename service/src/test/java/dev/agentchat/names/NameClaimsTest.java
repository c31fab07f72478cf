package dev.agentchat.names;

import dev.agentchat.SseClient;
import dev.agentchat.TestServer;
import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.hosting.Rooms;
import dev.agentchat.reliability.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names claimed with a token, the host's kick and mute, over real HTTP against a real server. */
class NameClaimsTest {
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern BLOCKED_UNTIL = Pattern.compile("\"blocked_until\":\"([^\"]+)\"");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agent-chat.names.kick-block", "2s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClaimedNamePostsVerifiedAndNobodyElseCanPostUnderIt() {
        HttpResponse<String> joined = join("coder", "agent");
        assertEquals(200, joined.statusCode(), joined.body());
        assertTrue(joined.body().contains("\"agent\":\"coder\""), joined.body());
        assertTrue(joined.body().contains("\"kind\":\"agent\""), joined.body());
        String token = token(joined);
        assertTrue(token.length() >= 32, token);

        String posted = server.send(withToken("/messages", token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"I hold my name\"}")).build()).body();
        assertTrue(posted.contains("\"agent\":\"coder\""), posted);
        assertTrue(posted.contains("\"verified\":true"), posted);

        // a second client with the password tries to speak as coder, in any letter case
        HttpResponse<String> spoof = server.post("CODER", "I am coder, trust me");
        assertEquals(403, spoof.statusCode());
        assertTrue(spoof.body().contains("\"code\":\"name_claimed\""), spoof.body());
        assertEquals(403, join("Coder", "agent").statusCode());
        // nor in full-width letters, which read as the same name
        HttpResponse<String> lookalike = server.post("ｃｏｄｅｒ", "I am coder too");
        assertEquals(403, lookalike.statusCode(), lookalike.body());
        assertTrue(lookalike.body().contains("\"code\":\"name_claimed\""), lookalike.body());
        assertEquals(403, join("ｃｏｄｅｒ", "agent").statusCode());
        assertFalse(server.get("/messages").body().contains("trust me"));

        // and cannot post under someone else's name with the token either
        HttpResponse<String> other = server.send(withToken("/messages", token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"boss\",\"text\":\"x\"}")).build());
        assertEquals(400, other.statusCode());
    }

    @Test
    void nobodyCanHoldTheNameOfMessagesSentWithoutOneSoOldClientsThatSendNoneKeepPosting() {
        // one client holding "anonymous" made every post without an agent a 403 name_claimed
        for (String name : List.of("anonymous", "Anonymous", "ＡＮＯＮＹＭＯＵＳ")) {
            HttpResponse<String> refused = join(name, "agent");
            assertEquals(400, refused.statusCode(), name + ": " + refused.body());
            assertTrue(refused.body().contains("\"code\":\"invalid_agent\""), refused.body());
            assertTrue(refused.body().contains("sent without a name"), refused.body());
        }
        HttpResponse<String> posted = server.postJson("{\"text\":\"an old client names nobody\"}");
        assertEquals(200, posted.statusCode(), posted.body());
        assertTrue(posted.body().contains("\"agent\":\"anonymous\""), posted.body());
    }

    @Test
    void workClaimsAndAcknowledgementsUnderSomeoneElsesNameAreRefusedToo() {
        String token = token(join("worker", "agent"));
        HttpResponse<String> spoof = server.send(server.authed("/claims").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"worker\",\"resource\":\"src/**\"}")).build());
        assertEquals(403, spoof.statusCode(), spoof.body());
        assertTrue(spoof.body().contains("\"code\":\"name_claimed\""), spoof.body());
        HttpResponse<String> own = server.send(withToken("/claims", token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"worker\",\"resource\":\"src/**\"}")).build());
        assertEquals(200, own.statusCode(), own.body());
    }

    @Test
    void movingTheReadCursorOfSomeoneElsesNameIsRefused() {
        String token = token(join("reader", "agent"));
        server.post("poster", "@reader this one is for you");
        HttpResponse<String> moved = server.send(server.authed("/agents/reader/cursor").header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"after\":99}")).build());
        assertEquals(403, moved.statusCode(), moved.body());
        assertTrue(moved.body().contains("\"code\":\"name_claimed\""), moved.body());
        assertEquals("{\"after\":0}", server.send(withToken("/agents/reader/cursor", token).GET().build()).body());

        // its holder moves it with its token
        HttpResponse<String> own = server.send(withToken("/agents/reader/cursor", token).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"after\":1}")).build());
        assertEquals(200, own.statusCode(), own.body());
    }

    @Test
    void thePasswordAloneReadsUnderAHeldNameAsNobodyNeitherPresentNorHavingSeenAnything() throws Exception {
        String token = token(join("holder-x", "agent"));
        String id = idOf(server.post("poster-x", "@holder-x did you see this?"));

        // a page whose name was refused, or anyone with the password: it reads, as nobody
        HttpResponse<String> read = server.get("/messages/poll?after=0&wait=0&agent=holder-x");
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("did you see this?"), read.body());
        try (SseClient stream = SseClient.open(server.http(), server.uri("/messages/stream?agent=holder-x"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(5, TimeUnit.SECONDS).until(() -> stream.comments().contains("connected"));
            String agents = server.get("/agents").body();
            assertTrue(agents.contains("{\"name\":\"holder-x\",\"online\":false,\"connections\":0,"), agents);
            assertFalse(agents.matches("(?s).*\"name\":\"holder-x\"[^}]*\"read_up_to\".*"), "no read receipt: " + agents);
        }

        // its holder's token makes it present and moves its receipt
        assertEquals(200, server.send(withToken("/messages/poll?after=0&wait=0", token).GET().build()).statusCode());
        String agents = server.get("/agents").body();
        assertTrue(agents.matches("(?s).*\"name\":\"holder-x\"[^}]*\"read_up_to\":" + id + "[,}].*"), agents);
    }

    @Test
    void aStreamUnderANameNobodyHeldEndsWhenSomeoneClaimsItSoOnlyTheHolderIsPresentAndMovesItsReceipt() throws Exception {
        try (SseClient stream = SseClient.open(server.http(), server.uri("/messages/stream?agent=rita"),
            Map.of("X-Room-Password", TestServer.PASSWORD))) {
            await().atMost(5, TimeUnit.SECONDS).until(() -> stream.comments().contains("connected"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.get("/agents").body()
                .contains("{\"name\":\"rita\",\"online\":true,\"connections\":1,"));

            // an agent claims the name and never reads: the stream that listened under it ends, as a loss
            token(join("rita", "agent"));
            await().atMost(5, TimeUnit.SECONDS).until(stream::ended);
            server.post("poster-r", "@rita are you there?");
            String agents = server.get("/agents").body();
            assertTrue(agents.contains("{\"name\":\"rita\",\"online\":false,\"connections\":0,"), agents);
            assertFalse(agents.matches("(?s).*\"name\":\"rita\"[^}]*\"read_up_to\".*"), "no read receipt: " + agents);
        }
    }

    @Test
    void aNameGivenUpOrKickedLeavesNoClaimsForWhoeverHoldsItNext() {
        String quitter = token(join("quitter", "agent"));
        String kickee = token(join("kickee", "agent"));
        for (String[] held : new String[][] {{quitter, "quit/**"}, {kickee, "kick/**"}}) {
            HttpResponse<String> claimed = server.send(withToken("/claims", held[0]).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resource\":\"" + held[1] + "\"}")).build());
            assertEquals(200, claimed.statusCode(), claimed.body());
        }

        assertEquals(204, server.send(withToken("/join", quitter).DELETE().build()).statusCode());
        assertEquals(200, server.send(asHost("/agents/kickee/kick").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());

        String claims = server.get("/claims").body();
        assertFalse(claims.contains("quit/**") || claims.contains("kick/**"), "released with the name: " + claims);
    }

    @Test
    void namesNobodyClaimedStillWorkWithThePasswordAloneUnverified() {
        HttpResponse<String> posted = server.post("free-spirit", "no claim needed");
        assertEquals(200, posted.statusCode());
        assertTrue(posted.body().contains("\"verified\":false"), posted.body());
    }

    @Test
    void leavingRevokesTheTokenAndFreesTheName() {
        String token = token(join("leaver", "human"));
        HttpResponse<String> left = server.send(withToken("/join", token).DELETE().build());
        assertEquals(204, left.statusCode(), left.body());
        HttpResponse<String> revoked = server.send(withToken("/messages", token).GET().build());
        assertEquals(401, revoked.statusCode());
        assertTrue(revoked.body().contains("\"code\":\"token_revoked\""), revoked.body());
        assertEquals(200, server.post("leaver", "free again").statusCode());
        assertEquals(200, join("leaver", "agent").statusCode());
    }

    @Test
    void forgedTokensAndTokensOfAnotherRoomAreWorthless() {
        HttpResponse<String> forged = server.send(withToken("/messages", "act_forgedforgedforgedforgedforged").GET().build());
        assertEquals(401, forged.statusCode());
        assertTrue(forged.body().contains("\"code\":\"invalid_token\""), forged.body());

        Rooms rooms = new Rooms(server);
        rooms.create("elsewhere", "other-pw");
        String token = token(join("traveller", "agent"));
        HttpResponse<String> elsewhere = server.send(withToken("/rooms/elsewhere/messages", token).GET().build());
        assertEquals(401, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("\"code\":\"invalid_token\""), elsewhere.body());
    }

    @Test
    void anUnusedClaimExpiresAndItsTokenSaysSo() {
        try (TestServer quick = TestServer.start(Map.of("agent-chat.names.idle", "300ms"))) {
            HttpResponse<String> joined = quick.send(quick.authed("/join").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"sleepy\"}")).build());
            String token = token(joined);
            // each use keeps a claim alive: look only after it had time to expire
            await().atMost(5, TimeUnit.SECONDS).pollDelay(Duration.ofMillis(700)).pollInterval(Duration.ofMillis(700)).until(() -> {
                HttpResponse<String> answer = quick.send(HttpRequest.newBuilder(quick.uri("/messages"))
                    .header("Authorization", "Bearer " + token).GET().build());
                return answer.statusCode() == 401 && answer.body().contains("\"code\":\"token_expired\"");
            });
            assertEquals(200, quick.post("sleepy", "the name is free again").statusCode());
        }
    }

    @Test
    void theHostKicksANameItsStreamEndsItsTokenIsRevokedAndTheNameIsBlockedForAWhile() throws Exception {
        String token = token(join("rogue", "agent"));
        CompletableFuture<HttpResponse<Stream<String>>> stream = server.http().sendAsync(
            withToken("/messages/stream", token).timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> open = stream.get(10, TimeUnit.SECONDS);
        assertEquals(200, open.statusCode());
        CompletableFuture<Long> lines = CompletableFuture.supplyAsync(() -> open.body().count());
        SseClient told = SseClient.open(server.http(), server.uri("/messages/stream?events=end"),
            Map.of("Authorization", "Bearer " + token));
        Matcher last = Pattern.compile("\"id\":(\\d+)").matcher(server.post("someone", "before the kick").body());
        assertTrue(last.find());
        CompletableFuture<HttpResponse<String>> poll = server.http().sendAsync(
            withToken("/messages/poll?after=" + last.group(1) + "&wait=30", token).GET().build(),
            HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> notHost = server.send(server.authed("/agents/rogue/kick").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, notHost.statusCode());
        assertTrue(notHost.body().contains("\"code\":\"host_only\""), notHost.body());

        await().atMost(5, TimeUnit.SECONDS).until(() -> server.get("/agents").body().contains("\"name\":\"rogue\",\"online\":true"));
        HttpResponse<String> kicked = server.send(asHost("/agents/rogue/kick").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, kicked.statusCode(), kicked.body());
        assertTrue(kicked.body().contains("\"blocked_until\""), kicked.body());

        lines.get(10, TimeUnit.SECONDS); // the stream ended
        // one that asked is told why, as its next request would be
        await().atMost(5, TimeUnit.SECONDS).until(told::ended);
        // the message posted while it opened may come first; the end event comes once, and last
        List<SseClient.Event> events = told.events();
        assertEquals(1, events.stream().filter(e -> e.name().equals("end")).count(), events.toString());
        SseClient.Event end = events.get(events.size() - 1);
        assertEquals("end", end.name());
        assertTrue(end.data().contains("\"code\":\"kicked\""), end.data());
        assertTrue(end.data().contains("\"blocked_until\""), end.data());
        told.close();
        HttpResponse<String> polled = poll.get(10, TimeUnit.SECONDS);
        assertEquals(403, polled.statusCode());
        assertTrue(polled.body().contains("\"code\":\"kicked\""), polled.body());
        // the waiting poll's answer says until when, as every refusal of a blocked name does
        assertTrue(polled.body().contains("\"blocked_until\""), polled.body());
        assertTrue(polled.headers().firstValue("Retry-After").isPresent(), polled.headers().toString());

        HttpResponse<String> reconnect = server.send(withToken("/messages/stream", token).GET().build());
        assertEquals(403, reconnect.statusCode());
        assertTrue(reconnect.body().contains("\"code\":\"kicked\""), reconnect.body());
        assertEquals(403, join("rogue", "agent").statusCode());
        assertEquals(403, server.post("rogue", "back under the password").statusCode());

        // once the block is over the token stays revoked, and the name is free
        await().atMost(10, TimeUnit.SECONDS).until(() -> join("rogue", "agent").statusCode() == 200);
        HttpResponse<String> old = server.send(withToken("/messages", token).GET().build());
        assertTrue(old.body().contains("\"code\":\"token_revoked\""), old.body());
    }

    @Test
    void aKickedNameIsListedAsBlockedUntilWhenAndEveryRefusalSaysUntilWhenAndHowManySecondsAreLeft() throws Exception {
        try (TestServer blocking = TestServer.start(Map.of("agent-chat.names.kick-block", "5s"))) {
            String token = token(blocking.send(blocking.authed("/join").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"spammer\"}")).build()));
            assertEquals(200, blocking.send(HttpRequest.newBuilder(blocking.uri("/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"buy now\"}")).build()).statusCode());
            assertFalse(blocking.get("/agents").body().contains("blocked_until"), "nobody is blocked yet");
            CompletableFuture<HttpResponse<String>> poll = blocking.http().sendAsync(
                HttpRequest.newBuilder(blocking.uri("/messages/poll?after=1&wait=30")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            await().atMost(5, TimeUnit.SECONDS).until(() -> blocking.get("/agents").body().contains("\"waiting\":true"));

            HttpResponse<String> kicked = blocking.send(HttpRequest.newBuilder(blocking.uri("/agents/spammer/kick"))
                .header("Authorization", "Bearer " + blocking.live().hostKey()).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, kicked.statusCode(), kicked.body());
            String until = blockedUntil(kicked.body());

            String agents = blocking.get("/agents").body();
            assertTrue(agents.matches("(?s).*\\{\"name\":\"spammer\",[^}]*\"blocked_until\":\"" + Pattern.quote(until) + "\".*"),
                agents);
            assertTrue(agents.contains("{\"name\":\"spammer\",\"online\":false,"), "a kicked name is not online: " + agents);
            HttpResponse<String> polled = poll.get(10, TimeUnit.SECONDS);
            HttpResponse<String> posted = blocking.post("spammer", "back under the password");
            HttpResponse<String> rejoined = blocking.send(blocking.authed("/join").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"Spammer\"}")).build());
            HttpResponse<String> oldToken = blocking.send(HttpRequest.newBuilder(blocking.uri("/messages"))
                .header("Authorization", "Bearer " + token).GET().build());
            for (HttpResponse<String> refused : List.of(polled, posted, rejoined, oldToken)) {
                String what = refused.request().uri() + ": " + refused.body();
                assertEquals(403, refused.statusCode(), what);
                assertTrue(refused.body().contains("\"code\":\"kicked\""), what);
                assertEquals(until, blockedUntil(refused.body()), what);
                long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError(what)));
                assertTrue(retryAfter >= 1 && retryAfter <= 5, retryAfter + " s; " + what);
            }

            // once the block is over the name is listed as it was, and free again
            await().atMost(15, TimeUnit.SECONDS).until(() -> blocking.post("spammer", "free again").statusCode() == 200);
            assertFalse(blocking.get("/agents").body().contains("blocked_until"), blocking.get("/agents").body());
        }
    }

    @Test
    void namesTheHostKickedOrMutedBeforeTheySpokeAreListedWhileBlockedOrMuted() throws Exception {
        try (TestServer blocking = TestServer.start(Map.of("agent-chat.names.kick-block", "3s"))) {
            blocking.post("regular", "hello");
            HttpResponse<String> kicked = blocking.send(HttpRequest.newBuilder(blocking.uri("/agents/Lurker/kick"))
                .header("Authorization", "Bearer " + blocking.live().hostKey()).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, kicked.statusCode(), kicked.body());
            assertEquals(200, blocking.send(HttpRequest.newBuilder(blocking.uri("/agents/Quiet/mute"))
                .header("Authorization", "Bearer " + blocking.live().hostKey()).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode());

            String agents = blocking.get("/agents").body();
            assertTrue(agents.matches("(?s).*\\{\"name\":\"Lurker\",\"online\":false,[^}]*\"blocked_until\":\""
                + Pattern.quote(blockedUntil(kicked.body())) + "\".*"), agents);
            assertTrue(agents.matches("(?s).*\\{\"name\":\"Quiet\",\"online\":false,[^}]*\"muted\":true.*"), agents);
            assertTrue(agents.startsWith("{\"agents\":[{\"name\":\"regular\","), "the people who spoke come first: " + agents);

            // once the block is over and the mute lifted, neither is listed: they never spoke
            assertEquals(200, blocking.send(HttpRequest.newBuilder(blocking.uri("/agents/quiet/mute"))
                .header("Authorization", "Bearer " + blocking.live().hostKey()).DELETE().build()).statusCode());
            await().atMost(15, TimeUnit.SECONDS).until(() -> !blocking.get("/agents").body().contains("Lurker"));
            assertEquals(List.of("regular"), Pattern.compile("\"name\":\"([^\"]+)\"").matcher(blocking.get("/agents").body())
                .results().map(found -> found.group(1)).toList());
        }
    }

    @Test
    void aMutedNameReadsButCannotPostUntilUnmuted() {
        String token = token(join("chatty", "agent"));
        HttpResponse<String> muted = server.send(asHost("/agents/chatty/mute").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, muted.statusCode(), muted.body());
        assertTrue(muted.body().contains("\"muted\":true"), muted.body());
        assertEquals(200, server.send(withToken("/messages", token).GET().build()).statusCode());
        HttpResponse<String> refused = server.send(withToken("/messages", token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello?\"}")).build());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("\"code\":\"muted\""), refused.body());
        assertTrue(server.get("/agents").body().contains("\"muted\":true"));

        assertEquals(200, server.send(asHost("/agents/chatty/mute").DELETE().build()).statusCode());
        assertEquals(200, server.send(withToken("/messages", token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello again\"}")).build()).statusCode());
    }

    @Test
    void streamsThatAskForModerationSeeEachKickMuteAndUnmuteAsItHappens() throws Exception {
        token(join("watched", "agent"));
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> open = server.http().sendAsync(
            server.authed("/messages/stream?events=moderation").timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, open.statusCode());
        CompletableFuture.runAsync(() -> open.body().forEach(lines::add));
        await().atMost(5, TimeUnit.SECONDS).until(() -> lines.contains(": connected"));

        assertEquals(200, server.send(asHost("/agents/watched/mute").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        await().atMost(5, TimeUnit.SECONDS).until(() -> lines.contains("data: {\"agent\":\"watched\",\"muted\":true}"));
        assertEquals(200, server.send(asHost("/agents/watched/mute").DELETE().build()).statusCode());
        await().atMost(5, TimeUnit.SECONDS).until(() -> lines.contains("data: {\"agent\":\"watched\",\"muted\":false}"));
        HttpResponse<String> kicked = server.send(asHost("/agents/watched/kick").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, kicked.statusCode());
        // the event says what the host's answer says
        await().atMost(5, TimeUnit.SECONDS).until(() -> lines.contains("data: " + kicked.body()));
        assertTrue(kicked.body().contains("\"blocked_until\""), kicked.body());
        assertEquals(3, lines.stream().filter("event: moderation"::equals).count(), String.join("\n", lines));
    }

    @Test
    void everyoneSeesWhichNamesAreHeldAndOfWhatKind() {
        token(join("listed-person", "human"));
        String agents = server.get("/agents").body();
        assertTrue(agents.contains("\"name\":\"listed-person\",\"online\":false,\"connections\":0,\"waiting\":false,\"verified\":true,\"kind\":\"human\""), agents);
    }

    @Test
    void wrongBearerKeysCountLikeWrongPasswordsUnlessShapedAsANamesToken() throws IOException {
        try (LiveServer guarded = RawHttp.server(Map.of("agent-chat.limits.password-failure-burst", 2,
            "agent-chat.limits.password-failure-refill", "1h"))) {
            RawHttp http = new RawHttp(guarded.port());
            // a token the room does not know is one a restarted server gave, not a guess at the host key
            assertEquals(401, http.send("GET", "/messages", Map.of("Authorization", "Bearer act_stale"), null,
                "127.0.0.1").status());
            for (int i = 0; i < 2; i++) {
                assertEquals(401, http.send("GET", "/messages", Map.of("Authorization", "Bearer guess" + i), null,
                    "127.0.0.1").status());
            }
            assertEquals(429, http.send("GET", "/messages", Map.of("X-Room-Password", RawHttp.PASSWORD), null,
                "127.0.0.1").status());
        }
    }

    private static HttpResponse<String> join(String agent, String kind) {
        return server.send(server.authed("/join").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"" + agent + "\",\"kind\":\"" + kind + "\"}")).build());
    }

    private static String blockedUntil(String body) {
        Matcher m = BLOCKED_UNTIL.matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    private static String token(HttpResponse<String> joined) {
        Matcher m = TOKEN.matcher(joined.body());
        assertTrue(m.find(), joined.statusCode() + " " + joined.body());
        return m.group(1);
    }

    private static String idOf(HttpResponse<String> posted) {
        Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(posted.body());
        assertTrue(id.find(), posted.body());
        return id.group(1);
    }

    private static HttpRequest.Builder withToken(String path, String token) {
        return HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.Builder asHost(String path) {
        return HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + server.live().hostKey());
    }
}
