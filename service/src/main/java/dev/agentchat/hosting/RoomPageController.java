package dev.agentchat.hosting;

import dev.agentchat.error.ApiError;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.core.io.scan.ClassPathResourceLoader;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.server.types.files.StreamedFile;

import java.net.URI;
import java.net.URL;

/**
 * Serves the web UI for a named room at {@code /rooms/{room}/}: the same static files as the server's
 * own room at {@code /}. The page finds its API under its own path ({@code /rooms/{room}}).
 * Whether the room exists is not checked here: the page asks for the password and the API answers.
 */
@Controller("/rooms/{room}")
public class RoomPageController {
    private final ClassPathResourceLoader resources;

    public RoomPageController(ResourceResolver resolver) {
        this.resources = resolver.getLoader(ClassPathResourceLoader.class)
            .orElseThrow(() -> new IllegalStateException("no classpath resource loader"));
    }

    /**
     * The page. The router treats {@code /rooms/x} and {@code /rooms/x/} alike, but the page's relative
     * links only resolve from the latter, so the former is redirected; so is a name not in lower case,
     * to the room's own address, where its session cookie is scoped.
     */
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(@PathVariable String room, HttpRequest<?> request) {
        String name = RoomName.require(room);
        if (!name.equals(room) || !request.getPath().endsWith("/")) {
            String query = request.getUri().getRawQuery();
            return HttpResponse.permanentRedirect(URI.create("/rooms/" + name + "/" + (query == null ? "" : "?" + query)));
        }
        return file("index.html").header("Cache-Control", "no-store");
    }

    /**
     * The page's own files (scripts, styles, icons), which it references relatively, whatever the client
     * accepts; a route of its own for a file name (the room's {@code skill.md}) is chosen before this one.
     */
    @Get(value = "/{file:[A-Za-z0-9_-]+\\.[a-z0-9]+}", produces = MediaType.ALL)
    public HttpResponse<StreamedFile> asset(@PathVariable String room, @PathVariable String file) {
        RoomName.require(room);
        return file(file);
    }

    private MutableHttpResponse<StreamedFile> file(String name) {
        URL url = resources.getResource("webui/" + name).orElseThrow(ApiError.NOT_FOUND::exception);
        return HttpResponse.ok(new StreamedFile(url));
    }
}
