package dev.agentchat.names;

import dev.agentchat.TestServer;
import dev.agentchat.redis.TwoInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims, revocations, mutes, blocks and sessions hold on every instance sharing one real Redis. */
class RedisNamesTest {
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern BLOCKED_UNTIL = Pattern.compile("\"blocked_until\":\"([^\"]+)\"");
    static TwoInstances instances;
    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start() {
        instances = TwoInstances.start(Map.of());
        first = instances.first();
        second = instances.second();
    }

    @AfterAll
    static void stop() throws Exception {
        instances.close();
    }

    @Test
    void aNameClaimedOnOneInstanceIsHeldOnTheOther() {
        String token = token(join(first, "shared-coder"));
        HttpResponse<String> spoof = second.post("shared-coder", "spoofed");
        assertEquals(403, spoof.statusCode());
        assertTrue(spoof.body().contains("\"code\":\"name_claimed\""), spoof.body());
        HttpResponse<String> posted = second.send(withToken(second, "/messages", token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"verified everywhere\"}")).build());
        assertEquals(200, posted.statusCode(), posted.body());
        assertTrue(posted.body().contains("\"verified\":true"), posted.body());
        assertTrue(first.get("/messages").body().contains("\"text\":\"verified everywhere\",\"timestamp\""));
        assertTrue(first.get("/agents").body().contains("\"verified\":true"));

        assertEquals(204, second.send(withToken(second, "/join", token).DELETE().build()).statusCode());
        HttpResponse<String> revoked = first.send(withToken(first, "/messages", token).GET().build());
        assertTrue(revoked.body().contains("\"code\":\"token_revoked\""), revoked.body());
    }

    @Test
    void aKickOnOneInstanceEndsTheStreamOnTheOtherAndBlocksTheNameEverywhere() throws Exception {
        String token = token(join(first, "far-rogue"));
        HttpResponse<Stream<String>> open = second.http().sendAsync(withToken(second, "/messages/stream", token)
            .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofLines()).get(20, TimeUnit.SECONDS);
        assertEquals(200, open.statusCode());
        CompletableFuture<Long> lines = CompletableFuture.supplyAsync(() -> open.body().count());

        HttpResponse<String> kicked = first.send(asHost(first, "/agents/far-rogue/kick").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, kicked.statusCode(), kicked.body());
        lines.get(20, TimeUnit.SECONDS);
        assertEquals(403, join(second, "far-rogue").statusCode());
        HttpResponse<String> reconnect = second.send(withToken(second, "/messages", token).GET().build());
        assertTrue(reconnect.body().contains("\"code\":\"kicked\""), reconnect.body());
    }

    @Test
    void aNameKickedOnOneInstanceIsListedAsBlockedOnTheOtherAndItsPollThereSaysUntilWhen() throws Exception {
        second.post("far-spammer", "buy now");
        Matcher last = Pattern.compile("\"id\":(\\d+)").matcher(second.post("bystander", "hello").body());
        assertTrue(last.find());
        CompletableFuture<HttpResponse<String>> poll = second.http().sendAsync(
            second.authed("/messages/poll?after=" + last.group(1) + "&wait=30&agent=far-spammer").GET().build(),
            HttpResponse.BodyHandlers.ofString());
        await().atMost(10, TimeUnit.SECONDS).until(() -> second.get("/agents").body()
            .matches("(?s).*\\{\"name\":\"far-spammer\",[^}]*\"waiting\":true.*"));

        HttpResponse<String> kicked = first.send(asHost(first, "/agents/far-spammer/kick").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, kicked.statusCode(), kicked.body());
        String until = blockedUntil(kicked.body());

        String agents = second.get("/agents").body();
        assertTrue(agents.matches("(?s).*\\{\"name\":\"far-spammer\",[^}]*\"blocked_until\":\"" + Pattern.quote(until) + "\".*"),
            agents);
        assertTrue(agents.matches("(?s).*\\{\"name\":\"bystander\",[^}]*}.*")
            && !agents.matches("(?s).*\\{\"name\":\"bystander\",[^}]*blocked_until.*"), agents);
        HttpResponse<String> polled = poll.get(20, TimeUnit.SECONDS);
        assertEquals(403, polled.statusCode(), polled.body());
        assertEquals(until, blockedUntil(polled.body()));
        assertTrue(polled.headers().firstValue("Retry-After").isPresent(), polled.headers().map().toString());
        HttpResponse<String> posted = second.post("far-spammer", "again");
        assertEquals(403, posted.statusCode(), posted.body());
        assertEquals(until, blockedUntil(posted.body()));
    }

    @Test
    void namesKickedOrMutedOnOneInstanceBeforeTheySpokeAreListedOnTheOther() {
        HttpResponse<String> kicked = first.send(asHost(first, "/agents/Far-Lurker/kick").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, kicked.statusCode(), kicked.body());
        assertEquals(200, first.send(asHost(first, "/agents/Far-Quiet/mute").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());

        String agents = second.get("/agents").body();
        assertTrue(agents.matches("(?s).*\\{\"name\":\"Far-Lurker\",[^}]*\"blocked_until\":\""
            + Pattern.quote(blockedUntil(kicked.body())) + "\".*"), agents);
        assertTrue(agents.matches("(?s).*\\{\"name\":\"Far-Quiet\",[^}]*\"muted\":true.*"), agents);

        assertEquals(200, second.send(asHost(second, "/agents/far-quiet/mute").DELETE().build()).statusCode());
        assertFalse(first.get("/agents").body().contains("Far-Quiet"), first.get("/agents").body());
    }

    @Test
    void aMuteOnOneInstanceSilencesTheNameOnTheOther() {
        assertEquals(200, first.send(asHost(first, "/agents/shared-loud/mute").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        HttpResponse<String> refused = second.post("shared-loud", "can you hear me");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("\"code\":\"muted\""), refused.body());
        assertEquals(200, second.send(asHost(second, "/agents/shared-loud/mute").DELETE().build()).statusCode());
        await().atMost(5, TimeUnit.SECONDS).until(() -> first.post("shared-loud", "back").statusCode() == 200);
    }

    @Test
    void aSessionOpenedOnOneInstanceWorksOnTheOther() {
        HttpResponse<String> opened = first.send(first.authed("/session").POST(HttpRequest.BodyPublishers.noBody()).build());
        String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertEquals(200, second.send(HttpRequest.newBuilder(second.uri("/messages")).header("Cookie", cookie)
            .GET().build()).statusCode());
    }

    private static HttpResponse<String> join(TestServer server, String agent) {
        return server.send(server.authed("/join").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"" + agent + "\"}")).build());
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

    private static HttpRequest.Builder withToken(TestServer server, String path, String token) {
        return HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.Builder asHost(TestServer server, String path) {
        return HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + server.live().hostKey());
    }
}
