package dev.agentchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Single requests the scenarios make between loads: health checks and the timed posts. */
final class Control {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final Target target;
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    Control(Target target) {
        this.target = target;
    }

    boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(5)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Retries {@link #healthy()} until it answers or {@code patience} has passed. */
    boolean healthyWithin(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!healthy()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            ServerProcess.sleep(100);
        }
        return true;
    }

    /**
     * Posts a message as agent {@code bench} and returns its id (-1 from a server that answers
     * without one: nchan's publisher answers 201 or 202 with plain text).
     */
    long post(String text) {
        String body = "{\"agent\":\"bench\",\"text\":\"" + text + "\"}";
        HttpRequest request = HttpRequest.newBuilder(uri("/messages"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("X-Room-Password", target.password())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new BenchException("POST /messages answered " + response.statusCode() + ": " + response.body());
            }
            Matcher id = ID.matcher(response.body());
            return id.find() ? Long.parseLong(id.group(1)) : -1;
        } catch (IOException e) {
            throw new BenchException("POST /messages failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    /** The id of the oldest message the room still keeps (0 when it keeps none): above 1, it has dropped some. */
    long oldestId() {
        HttpRequest request = HttpRequest.newBuilder(uri("/messages?after=0&limit=1"))
            .timeout(Duration.ofSeconds(30))
            .header("X-Room-Password", target.password())
            .GET()
            .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchException("GET /messages answered " + response.statusCode() + ": " + response.body());
            }
            Matcher id = ID.matcher(response.body());
            return id.find() ? Long.parseLong(id.group(1)) : 0;
        } catch (IOException e) {
            throw new BenchException("GET /messages failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    private URI uri(String path) {
        return target.url().resolve(target.path(path));
    }
}
