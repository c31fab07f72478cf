package dev.agentchat.cli.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link HttpClient} whose blocking {@link #send} never waits without a bound, also for the body.
 * A request's {@code timeout} only covers the wait for the response headers; a body can still stall,
 * and a body that ends only when the server closes the connection (no {@code Content-Length}, not
 * chunked) never ends on a server that keeps the connection open: the original agent-chat server
 * answers every error that way. So after the headers, a body must arrive within the request's
 * timeout, and a close-delimited body ends at the first pause of {@link #CLOSE_DELIMITED_PAUSE}.
 * Event streams ({@code text/event-stream}) and {@link #sendAsync} pass through unchanged: the stream
 * reader watches its own silence.
 */
final class BoundedHttpClient extends HttpClient {
    /** A close-delimited body is complete once no byte came for this long. */
    static final Duration CLOSE_DELIMITED_PAUSE = Duration.ofMillis(500);
    private static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "agent-chat-http-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final HttpClient delegate;

    BoundedHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> response = delegate.sendAsync(request, bounded(request, handler));
        try {
            return response.get();
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new IOException("request cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException timeout) {
                HttpTimeoutException copy = new HttpTimeoutException(timeout.getMessage());
                copy.initCause(timeout);
                throw copy;
            }
            if (cause instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            throw new IOException(cause == null ? "request failed" : String.valueOf(cause.getMessage()), cause);
        }
    }

    private static <T> HttpResponse.BodyHandler<T> bounded(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return info -> {
            HttpResponse.BodySubscriber<T> downstream = handler.apply(info);
            HttpHeaders headers = info.headers();
            if (headers.firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                return downstream;
            }
            boolean closeDelimited = headers.firstValue("Content-Length").isEmpty()
                && headers.firstValue("Transfer-Encoding").isEmpty();
            return new Deadlines<>(downstream, request.timeout().orElse(DEFAULT_BODY_TIMEOUT), closeDelimited);
        };
    }

    /** Passes a body through, ending it when its deadline passes or (if close-delimited) when it pauses. */
    private static final class Deadlines<T> implements HttpResponse.BodySubscriber<T> {
        private final HttpResponse.BodySubscriber<T> downstream;
        private final Duration timeout;
        private final boolean closeDelimited;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Flow.Subscription upstream;
        private volatile ScheduledFuture<?> deadline;
        private volatile ScheduledFuture<?> pause;

        Deadlines(HttpResponse.BodySubscriber<T> downstream, Duration timeout, boolean closeDelimited) {
            this.downstream = downstream;
            this.timeout = timeout;
            this.closeDelimited = closeDelimited;
        }

        @Override
        public CompletionStage<T> getBody() {
            return downstream.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            deadline = TIMERS.schedule(this::timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
            schedulePause();
            downstream.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n);
                }

                @Override
                public void cancel() {
                    stopTimers();
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            if (!done.get()) {
                schedulePause();
                downstream.onNext(item);
            }
        }

        @Override
        public void onError(Throwable error) {
            if (done.compareAndSet(false, true)) {
                stopTimers();
                downstream.onError(error);
            }
        }

        @Override
        public void onComplete() {
            if (done.compareAndSet(false, true)) {
                stopTimers();
                downstream.onComplete();
            }
        }

        private void schedulePause() {
            if (closeDelimited) {
                ScheduledFuture<?> previous = pause;
                if (previous != null) {
                    previous.cancel(false);
                }
                pause = TIMERS.schedule(this::paused, CLOSE_DELIMITED_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** The server sent what it had and keeps the connection open: that was the whole body. */
        private void paused() {
            if (done.compareAndSet(false, true)) {
                stopTimers();
                upstream.cancel();
                downstream.onComplete();
            }
        }

        private void timedOut() {
            if (done.compareAndSet(false, true)) {
                stopTimers();
                upstream.cancel();
                downstream.onError(new HttpTimeoutException("response body not received within " + timeout.toSeconds() + " s"));
            }
        }

        private void stopTimers() {
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            ScheduledFuture<?> p = pause;
            if (p != null) {
                p.cancel(false);
            }
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return delegate.sendAsync(request, handler, push);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
