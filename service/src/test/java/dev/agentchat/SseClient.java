package dev.agentchat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal Server-Sent Events reader for tests: it parses the stream line by line, the way the
 * EventSource specification does, and records every event and comment it sees.
 */
public final class SseClient implements AutoCloseable {
    /** One dispatched event. */
    public record Event(String id, String name, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile HttpResponse<java.io.InputStream> response;
    private volatile boolean ended;

    private SseClient(HttpClient http, HttpRequest request) {
        reader = new Thread(() -> read(http, request), "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static SseClient open(HttpClient http, URI uri, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(builder::setHeader);
        return new SseClient(http, builder.GET().build());
    }

    private void read(HttpClient http, HttpRequest request) {
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String name = null;
                List<String> data = new ArrayList<>();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(id, name == null ? "message" : name, String.join("\n", data)));
                        }
                        id = null;
                        name = null;
                        data.clear();
                    } else if (line.startsWith(":")) {
                        comments.add(line.substring(1).trim());
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.add(line.substring(5).stripLeading());
                    }
                }
            }
        } catch (Exception e) {
            // the stream ended or was closed by the test
        } finally {
            ended = true;
        }
    }

    public List<Event> events() {
        return events;
    }

    /** Only the {@code message} events. */
    public List<Event> messages() {
        return events.stream().filter(e -> e.name().equals("message")).toList();
    }

    public List<String> comments() {
        return comments;
    }

    public HttpResponse<java.io.InputStream> response() {
        return response;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        reader.interrupt();
        HttpResponse<java.io.InputStream> r = response;
        if (r != null) {
            try {
                r.body().close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }
}
