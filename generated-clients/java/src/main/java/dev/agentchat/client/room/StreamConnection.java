package dev.agentchat.client.room;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connection to {@code GET /messages/stream}. Lines arrive on the HTTP client's threads and are
 * queued, so the reader can notice a stream that opens but stays silent, or goes silent later, and
 * give up on it instead of waiting forever.
 */
final class StreamConnection implements AutoCloseable {
    /** What became of an attempt to open the stream. */
    enum Opening {
        /** An event stream is flowing. */
        OPEN,
        /** The server answered, but not with an event stream (see {@link #refusal()}). */
        REFUSED,
        /** No answer at all (see {@link #failure()}). */
        FAILED
    }

    private static final Object CLOSED = new Object();

    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final SseLines parser = new SseLines();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private volatile int status;
    private volatile String contentType = "";
    private volatile Throwable failure;
    private boolean silentAtOpen;
    private boolean silent;
    private Object pending;

    private StreamConnection() {
    }

    static StreamConnection open(HttpClient http, HttpRequest request) {
        StreamConnection connection = new StreamConnection();
        http.sendAsync(request, connection::subscriber).whenComplete((response, error) -> {
            if (error != null) {
                connection.failure = error instanceof CompletionException && error.getCause() != null
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
                if (cancelled) {
                    s.cancel();
                } else {
                    s.request(Long.MAX_VALUE);
                }
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

    /** Waits up to {@code patience} for the answer's headers and the stream's first line ({@code : connected}). */
    Opening awaitOpen(Duration patience) throws InterruptedException {
        Object first = lines.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            silentAtOpen = true;
            return Opening.REFUSED;
        }
        if (first == CLOSED) {
            return status == 0 ? Opening.FAILED : Opening.REFUSED;
        }
        pending = first;
        return Opening.OPEN;
    }

    /** The HTTP status of the answer, 0 when there was none or it stayed silent. */
    int status() {
        return silentAtOpen ? 0 : status;
    }

    /** Why the server gave no event stream, for a notice. */
    String refusal() {
        if (silentAtOpen) {
            return "no data from the stream (a proxy may be buffering it)";
        }
        if (status != 200) {
            return "the stream answered HTTP " + status;
        }
        return "the stream answered " + (contentType.isEmpty() ? "no content type" : contentType);
    }

    Throwable failure() {
        return failure;
    }

    /**
     * The next event; null when the connection ended ({@link #silent()} false) or sent no byte for
     * {@code silence} ({@link #silent()} true). Comments (keepalives) count as data but are not returned.
     */
    SseLines.Event next(Duration silence) throws InterruptedException {
        while (true) {
            Object item = pending != null ? pending : lines.poll(silence.toMillis(), TimeUnit.MILLISECONDS);
            pending = null;
            if (item == null) {
                silent = true;
                return null;
            }
            if (item == CLOSED) {
                return null;
            }
            SseLines.Event event = parser.accept((String) item);
            if (event != null) {
                return event;
            }
        }
    }

    /** Whether the last {@link #next} gave up because the stream stayed silent. */
    boolean silent() {
        return silent;
    }

    @Override
    public void close() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        lines.add(CLOSED);
    }
}
