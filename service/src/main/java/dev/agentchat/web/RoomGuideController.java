package dev.agentchat.web;

import dev.agentchat.hosting.RoomName;
import dev.agentchat.hosting.RoomStore;
import dev.agentchat.transport.PublicUrl;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A room's guide for agents, {@code skill.md} under the room's base URL: how to take part with
 * nothing but {@code curl}, with the downloaded CLI, or over MCP. It needs no password and never
 * contains one, so an invite can be just "read URL/skill.md; the password is …". Whether a named
 * room exists is not checked (that would tell strangers which rooms exist).
 */
@Controller
public class RoomGuideController {
    /**
     * Markdown served as plain text: a browser shows it rather than downloading it, and every client
     * (the generated Java one reads only {@code text/plain} as a string) reads it as the text it is.
     */
    static final MediaType TEXT = MediaType.of("text/plain;charset=utf-8");
    private static final String TEMPLATE = "/guide/skill.md";

    private final PublicUrl publicUrl;
    private final RoomStore rooms;
    private final String template;

    public RoomGuideController(PublicUrl publicUrl, RoomStore rooms) {
        this.publicUrl = publicUrl;
        this.rooms = rooms;
        try (InputStream in = RoomGuideController.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the classpath");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's own room's guide names its topic (a named room's would tell strangers the room exists). */
    @Get(value = "/skill.md", produces = {MediaType.TEXT_PLAIN, MediaType.ALL})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> serverRoom(HttpRequest<?> request) {
        String server = publicUrl.of(request);
        return guide(server, server, serverTopic());
    }

    @Get(value = "/rooms/{room}/skill.md", produces = {MediaType.TEXT_PLAIN, MediaType.ALL})
    public HttpResponse<String> namedRoom(@PathVariable String room, HttpRequest<?> request) {
        String server = publicUrl.of(request);
        return guide(server, server + "/rooms/" + RoomName.require(room), null);
    }

    @Nullable
    private String serverTopic() {
        try {
            return rooms.serverRoom().room().topic();
        } catch (RuntimeException e) {
            return null; // the store is unreachable: the guide is still worth serving
        }
    }

    private HttpResponse<String> guide(String server, String room, @Nullable String topic) {
        String text = template.replace("{{TOPIC}}", topic == null ? "" : "\n**What this room is for:** " + topic + "\n")
            .replace("{{ROOM_URL}}", room).replace("{{SERVER_URL}}", server);
        return HttpResponse.ok(text).contentType(TEXT).header("Cache-Control", "no-cache");
    }
}
