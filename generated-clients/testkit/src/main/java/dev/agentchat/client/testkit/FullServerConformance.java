package dev.agentchat.client.testkit;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A full server, as {@code docs/following.md} ("Stream first") says: a follower that starts while every
 * stream slot is taken reports the loss at once (it never waits in silence) and joins when a slot
 * frees. The TypeScript and Python followers run it by extending this class; the CLI's
 * {@code ListenCommandTest} does the same for {@code listen}.
 */
public abstract class FullServerConformance {
    private static final String PASSWORD = "pw";

    /** A follower of the room at {@code url} that starts live and writes its notices ({@code notice<TAB>reconnecting…}). */
    protected abstract ScriptFollower followLive(String url, String password);

    @Test
    void aFullServerIsReportedAsALossBeforeTheFirstConnectionAndTheFollowerJoinsWhenASlotFrees() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (LiveServer full = LiveServer.start(PASSWORD, Map.of(
            "agent-chat.limits.streams-total", 1, "agent-chat.limits.polls-total", 1))) {
            HttpResponse<InputStream> occupant = http.send(HttpRequest.newBuilder(full.uri("/messages/stream"))
                .header("X-Room-Password", PASSWORD).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, occupant.statusCode());

            try (ScriptFollower follower = followLive(full.url(), PASSWORD)) {
                await().atMost(10, SECONDS).until(() -> follower.log().contains("notice\treconnecting"));
                occupant.body().close();
                await().atMost(30, SECONDS).until(() -> follower.log().contains("notice\tconnected"));
                HttpResponse<String> posted = http.send(HttpRequest.newBuilder(full.uri("/messages"))
                    .header("X-Room-Password", PASSWORD).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"alice\",\"text\":\"room at last\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, posted.statusCode(), posted.body());

                FollowConformance.awaitTexts(follower, "room at last");
                assertEquals(1, follower.log().split("notice\treconnecting", -1).length - 1, follower.log());
            }
        }
    }
}
