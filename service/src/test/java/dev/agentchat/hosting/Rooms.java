package dev.agentchat.hosting;

import dev.agentchat.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the named rooms of a test server. */
public record Rooms(TestServer server) {

    /** Creates the room as the host (or confirms its password). */
    public HttpResponse<String> create(String room, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/rooms/" + room))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + server.live().hostKey())
            .PUT(HttpRequest.BodyPublishers.noBody());
        if (password != null) {
            request.header("X-Room-Password", password);
        }
        return server.send(request.build());
    }

    public HttpResponse<String> post(String room, String password, String agent, String text) {
        String body = "{\"agent\":" + TestServer.quote(agent) + ",\"text\":" + TestServer.quote(text) + "}";
        return server.send(request(room, password, "/messages")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    /** Claims {@code agent} in the room ({@code POST /join}). */
    public HttpResponse<String> join(String room, String password, String agent) {
        return server.send(request(room, password, "/join")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":" + TestServer.quote(agent) + "}"))
            .build());
    }

    /** Mutes {@code agent} in the room, as the host. */
    public HttpResponse<String> mute(String room, String agent) {
        return server.send(HttpRequest.newBuilder(uri(room, "/agents/" + agent + "/mute"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + server.live().hostKey())
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
    }

    /** Sets the room's topic, as the host ({@code PUT {base}/room/topic}). */
    public HttpResponse<String> topic(String room, String topic) {
        return server.send(asHost(uri(room, "/room/topic")).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"topic\":" + TestServer.quote(topic) + "}")).build());
    }

    /** Ends the room as the host ({@code DELETE {base}/room}). */
    public HttpResponse<String> end(String room) {
        return server.send(asHost(uri(room, "/room")).DELETE().build());
    }

    /** The server's named rooms, as the host ({@code GET /rooms}). */
    public HttpResponse<String> list() {
        return server.send(asHost(server.uri("/rooms")).GET().build());
    }

    private HttpRequest.Builder asHost(URI uri) {
        return HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + server.live().hostKey());
    }

    public HttpResponse<String> get(String room, String password, String pathAndQuery) {
        return server.send(request(room, password, pathAndQuery).GET().build());
    }

    public URI uri(String room, String pathAndQuery) {
        return server.uri("/rooms/" + room + pathAndQuery);
    }

    private HttpRequest.Builder request(String room, String password, String pathAndQuery) {
        return HttpRequest.newBuilder(uri(room, pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .header("X-Room-Password", password);
    }
}
