package dev.agentchat.web;

import dev.agentchat.hosting.RoomName;
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
    static final MediaType MARKDOWN = MediaType.of("text/markdown;charset=utf-8");
    private static final String TEMPLATE = "/guide/skill.md";

    private final PublicUrl publicUrl;
    private final String template;

    public RoomGuideController(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
        try (InputStream in = RoomGuideController.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the classpath");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get("/skill.md")
    public HttpResponse<String> serverRoom(HttpRequest<?> request) {
        String server = publicUrl.of(request);
        return guide(server, server);
    }

    @Get("/rooms/{room}/skill.md")
    public HttpResponse<String> namedRoom(@PathVariable String room, HttpRequest<?> request) {
        String server = publicUrl.of(request);
        return guide(server, server + "/rooms/" + RoomName.require(room));
    }

    private HttpResponse<String> guide(String server, String room) {
        String text = template.replace("{{ROOM_URL}}", room).replace("{{SERVER_URL}}", server);
        return HttpResponse.ok(text).contentType(MARKDOWN).header("Cache-Control", "no-cache");
    }
}
