package dev.agentchat.client.room;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    /** The most of a refusal's body kept: enough for an error's JSON, never a whole page. */
    private static final int MAX_REFUSAL = 2048;

    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final SseLines parser = new SseLines();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private volatile int status;
    private volatile String contentType = "";
    private volatile Throwable failure;
    private volatile String refusalBody = "";
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
            return new Refusal();
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

    /** The start of the body of an answer that was not an event stream (an error's JSON), "" when none. */
    String refusalBody() {
        return refusalBody;
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

    /** Keeps the first {@link #MAX_REFUSAL} bytes of a refusal, then lets the reader know it was refused. */
    private final class Refusal implements HttpResponse.BodySubscriber<Void> {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), MAX_REFUSAL - kept.size());
                byte[] bytes = new byte[take];
                buffer.get(bytes);
                kept.write(bytes, 0, take);
            }
            if (kept.size() >= MAX_REFUSAL) {
                subscription.cancel();
                finish();
            }
        }

        @Override
        public void onError(Throwable t) {
            finish();
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            if (!done.isDone()) {
                refusalBody = kept.toString(StandardCharsets.UTF_8);
                lines.add(CLOSED);
                done.complete(null);
            }
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }
    }
}
