package dev.agentchat.client.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A forwarding HTTP proxy in front of the real server that a test can break on purpose, so the
 * streaming helpers meet the faults they exist for: a dropped connection (resume with
 * Last-Event-ID) and a path where the stream is not available (fall back to long-poll).
 * <p>
 * Scripts in other languages control it over HTTP: {@code POST /__proxy/down} cuts every open
 * stream and answers new stream requests with 503 until {@code POST /__proxy/up};
 * {@code POST /__proxy/hide-stream} answers the stream with 404 (as a proxy that blocks SSE would)
 * until {@code POST /__proxy/show-stream}; {@code POST /__proxy/silence} holds every open stream
 * open but forwards nothing more (a proxy that buffers, a peer that vanished);
 * {@code GET /__proxy/streams} tells how many streams were opened through it.
 * {@link #retarget} puts another server behind the same address, as a restart would, and
 * {@link #stopAnswering} makes it a server that has stopped: every request is closed unanswered.
 */
public final class FaultProxy implements AutoCloseable {

    /** The stream's and the long-poll's paths, under the server's own room or a named one ({@code /rooms/NAME}). */
    private static final String STREAM_PATH = "/messages/stream";
    private static final String POLL_PATH = "/messages/poll";
    private static final List<String> FORWARDED_REQUEST_HEADERS =
        List.of("X-Room-Password", "Authorization", "Cookie", "Last-Event-ID", "Accept", "Content-Type");
    private static final List<String> FORWARDED_RESPONSE_HEADERS =
        List.of("Content-Type", "Cache-Control", "Retry-After", "Set-Cookie");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient upstream = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private volatile URI target;
    private final AtomicBoolean down = new AtomicBoolean();
    /** Every request is closed unanswered ({@link #stopAnswering}). */
    private volatile boolean stopped;
    private volatile Refusal streamRefusal;
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger pollsForwarded = new AtomicInteger();
    private final Set<InputStream> openStreams = ConcurrentHashMap.newKeySet();
    private final Set<InputStream> silenced = ConcurrentHashMap.newKeySet();

    /** How the stream path is answered while it is refused. */
    private record Refusal(int status, String type, String body) {
    }

    private FaultProxy(HttpServer server, URI target) {
        this.server = server;
        this.target = target;
    }

    public static FaultProxy start(URI target) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            FaultProxy proxy = new FaultProxy(server, target);
            server.createContext("/__proxy/", proxy::control);
            server.createContext("/", proxy::forward);
            server.setExecutor(proxy.executor);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Cuts every open stream and refuses new ones (503) until {@link #up()}. */
    public void down() {
        down.set(true);
        for (InputStream stream : openStreams) {
            closeQuietly(stream);
        }
    }

    /** Cuts every open stream, like a network blip; new ones are forwarded as before. */
    public void cut() {
        for (InputStream stream : openStreams) {
            closeQuietly(stream);
        }
    }

    public void up() {
        down.set(false);
    }

    /**
     * Cuts every open stream and closes every request, on any path, without an answer until
     * {@link #answerAgain()}: a server that stopped, as a follower sees it.
     */
    public void stopAnswering() {
        stopped = true;
        cut();
    }

    /** Forwards every request again after {@link #stopAnswering()}. */
    public void answerAgain() {
        stopped = false;
    }

    /** Answers the stream path with 404 from now on, like a proxy that does not pass SSE. */
    public void hideStream() {
        refuseStream(404, "application/json", "{\"error\":\"Not found\"}");
    }

    /** Answers the stream path with this instead of forwarding it (e.g. a 502 HTML page of a corporate proxy). */
    public void refuseStream(int status, String contentType, String body) {
        streamRefusal = new Refusal(status, contentType, body);
    }

    /** Forwards the stream path again. */
    public void showStream() {
        streamRefusal = null;
    }

    /**
     * Every stream open now stays open but receives nothing more, not even keepalives: only a follower
     * that watches for silence notices. Streams opened later are forwarded as usual.
     */
    public void silence() {
        silenced.addAll(openStreams);
    }

    /**
     * Forwards to {@code newTarget} from now on and cuts every open stream, as when the server behind
     * this address is restarted (on the same address, with a new room).
     */
    public void retarget(URI newTarget) {
        target = newTarget;
        cut();
    }

    public int streamsOpened() {
        return streamsOpened.get();
    }

    /** Long-polls sent on to the server so far (answered or still waiting). */
    public int pollsForwarded() {
        return pollsForwarded.get();
    }

    private void control(HttpExchange exchange) throws IOException {
        String action = exchange.getRequestURI().getPath().substring("/__proxy/".length());
        switch (action) {
            case "down" -> down();
            case "up" -> up();
            case "cut" -> cut();
            case "hide-stream" -> hideStream();
            case "show-stream" -> showStream();
            case "silence" -> silence();
            case "streams" -> {
                reply(exchange, 200, "text/plain", Integer.toString(streamsOpened()));
                return;
            }
            default -> {
                reply(exchange, 404, "text/plain", "unknown proxy action " + action);
                return;
            }
        }
        reply(exchange, 204, "text/plain", "");
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (stopped) {
                return; // closed with no answer at all
            }
            String path = exchange.getRequestURI().getPath();
            boolean stream = path.endsWith(STREAM_PATH);
            Refusal refusal = streamRefusal;
            if (stream && refusal != null) {
                reply(exchange, refusal.status(), refusal.type(), refusal.body());
                return;
            }
            if (stream && down.get()) {
                reply(exchange, 503, "application/json", "{\"error\":\"Proxy down\"}");
                return;
            }
            if (path.endsWith(POLL_PATH)) {
                pollsForwarded.incrementAndGet();
            }
            HttpResponse<InputStream> response = upstream.send(upstreamRequest(exchange),
                HttpResponse.BodyHandlers.ofInputStream());
            for (String name : FORWARDED_RESPONSE_HEADERS) {
                response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
            }
            boolean eventStream = response.headers().firstValue("Content-Type").orElse("")
                .startsWith("text/event-stream");
            if (eventStream) {
                streamsOpened.incrementAndGet();
                relay(exchange, response);
            } else {
                try (InputStream body = response.body()) {
                    byte[] bytes = body.readAllBytes();
                    exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void relay(HttpExchange exchange, HttpResponse<InputStream> response) throws IOException {
        InputStream body = response.body();
        openStreams.add(body);
        try (body) {
            exchange.sendResponseHeaders(response.statusCode(), 0);
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[8192];
            int read;
            while (!down.get() && (read = body.read(buffer)) >= 0) {
                if (silenced.contains(body)) {
                    continue; // held open, forwarding nothing
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException cut) {
            // down() or retarget() closed the upstream body, or the client left: ending the exchange is the point.
        } finally {
            openStreams.remove(body);
            silenced.remove(body);
        }
    }

    private HttpRequest upstreamRequest(HttpExchange exchange) throws IOException {
        URI uri = target.resolve(exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
            .method(exchange.getRequestMethod(), body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : FORWARDED_REQUEST_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        return request.build();
    }

    private static void reply(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
        server.stop(0);
        executor.shutdownNow();
    }
}
