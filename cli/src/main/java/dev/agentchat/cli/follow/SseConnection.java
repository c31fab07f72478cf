package dev.agentchat.cli.follow;

import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.client.room.SseLines;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connection to {@code GET /messages/stream}. Lines arrive on the HTTP client's threads and are
 * queued, so the reader can notice silence (a proxy buffering the stream, a dead connection) and give up.
 */
final class SseConnection implements AutoCloseable {
    /** Why {@link #next} returned no event. */
    enum End { CLOSED, SILENT }

    private static final Object CLOSED = new Object();

    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final SseLines parser = new SseLines();
    private volatile Flow.Subscription subscription;
    private volatile int status;
    private volatile String contentType = "";
    private volatile Throwable failure;
    private boolean opened;
    private Object pending;
    private End end;

    private SseConnection() {
    }

    /**
     * Opens the stream after {@code after} (with {@code Last-Event-ID} when resuming).
     *
     * @param after -1 for live messages only, else the id of the last message seen
     */
    static SseConnection open(RoomClient client, long after, boolean resume, @Nullable String agent,
                              @Nullable String forName) {
        StringBuilder query = new StringBuilder();
        if (after >= 0 && !resume) {
            query.append("&after=").append(after);
        }
        if (agent != null) {
            query.append("&agent=").append(URLEncoder.encode(agent, StandardCharsets.UTF_8));
        }
        if (forName != null) {
            query.append("&for=").append(URLEncoder.encode(forName, StandardCharsets.UTF_8));
        }
        String path = "/messages/stream" + (query.isEmpty() ? "" : "?" + query.substring(1));
        HttpRequest.Builder request = HttpRequest.newBuilder(client.address().resolve(path))
            .timeout(Duration.ofSeconds(15))
            .header("Accept", "text/event-stream")
            .header("X-Room-Password", client.password());
        if (resume) {
            request.header("Last-Event-ID", Long.toString(after));
        }
        SseConnection connection = new SseConnection();
        client.http().sendAsync(request.build(), connection::subscriber)
            .whenComplete((response, error) -> {
                if (error != null) {
                    connection.failure = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                    connection.lines.add(CLOSED);
                }
            });
        return connection;
    }

    private HttpResponse.BodySubscriber<Void> subscriber(HttpResponse.ResponseInfo info) {
        status = info.statusCode();
        contentType = info.headers().firstValue("Content-Type").orElse("");
        if (status != 200 || !contentType.startsWith("text/event-stream")) {
            lines.add(CLOSED);
            return HttpResponse.BodySubscribers.replacing(null);
        }
        return HttpResponse.BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                lines.add(line);
            }

            @Override
            public void onError(Throwable t) {
                failure = t;
                lines.add(CLOSED);
            }

            @Override
            public void onComplete() {
                lines.add(CLOSED);
            }
        }, s -> null, StandardCharsets.UTF_8, null);
    }

    /**
     * Waits for the answer's headers and the first line ({@code : connected} on our server).
     *
     * @return true when an event stream is flowing; false when the answer is not one (see {@link #refusal})
     * @throws RoomException for a wrong password or an unreachable server
     */
    boolean awaitOpen(RoomClient client, Duration patience) throws InterruptedException {
        Object first = lines.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            end = End.SILENT;
            return false;
        }
        if (first == CLOSED) {
            if (failure != null && status == 0) {
                throw client.unreachable(failure);
            }
            if (status == 401) {
                throw new RoomException(RoomException.Kind.INVALID_PASSWORD, 401, "Invalid password");
            }
            end = End.CLOSED;
            return false;
        }
        pending = first;
        opened = true;
        return true;
    }

    /** Why the server did not give a stream, for a notice. */
    String refusal() {
        if (end == End.SILENT) {
            return "no data from the stream (a proxy may be buffering it)";
        }
        if (status != 200) {
            return "the stream answered HTTP " + status;
        }
        return "the stream answered " + (contentType.isEmpty() ? "no content type" : contentType);
    }

    /**
     * The next event, or null when the connection ended or stayed silent for {@code idle}.
     */
    @Nullable
    SseEvent next(Duration idle) throws InterruptedException {
        while (true) {
            Object item = pending != null ? pending : lines.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
            pending = null;
            if (item == null) {
                end = End.SILENT;
                return null;
            }
            if (item == CLOSED) {
                end = End.CLOSED;
                return null;
            }
            SseLines.Event event = parser.accept((String) item);
            if (event != null) {
                return new SseEvent(event.id(), event.type(), event.data());
            }
        }
    }

    boolean opened() {
        return opened;
    }

    @Nullable
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
