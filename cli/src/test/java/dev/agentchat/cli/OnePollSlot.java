package dev.agentchat.cli;

import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

/** A full server for the tests: one waiting long-poll in all, taken by an occupant until a message arrives. */
public final class OnePollSlot {
    /** The server's settings: a single waiting long-poll. */
    public static final Map<String, Object> SETTINGS = Map.of("agent-chat.limits.polls-total", 1);

    private OnePollSlot() {
    }

    /** Takes the server's one poll slot (as {@code occupant}); answered once a message arrives. */
    public static CompletableFuture<HttpResponse<String>> take(String url, String password) {
        CompletableFuture<HttpResponse<String>> occupant = HttpClient.newHttpClient().sendAsync(
            HttpRequest.newBuilder(URI.create(url + "/messages/poll?after=0&wait=60&agent=occupant"))
                .header("X-Room-Password", password).build(),
            HttpResponse.BodyHandlers.ofString());
        RoomClient room = new RoomClient(RoomAddress.parse(url), password);
        await().atMost(10, SECONDS).until(() -> room.agents().stream()
            .anyMatch(a -> a.getName().equals("occupant") && Boolean.TRUE.equals(a.getOnline())));
        return occupant;
    }
}
