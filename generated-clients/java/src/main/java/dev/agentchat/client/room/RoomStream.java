package dev.agentchat.client.room;

import dev.agentchat.client.ApiClient;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.api.MessagesApi;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.PollResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows a room: Server-Sent Events from {@code /messages/stream}, resumed with
 * {@code Last-Event-ID} after every reconnect (exponential backoff), so no message is lost or
 * doubled. When the stream is not available on the path to the server (404/405/406/501, or an
 * answer that is not {@code text/event-stream}, as behind a proxy that blocks SSE), it falls back
 * to long-polling {@code pollMessages} with {@code wait}. A wrong password (401) stops it and is
 * handed to {@code onError} as the generated {@link ApiException}.
 *
 * <pre>{@code
 * try (RoomStream stream = RoomStream.builder(client).onMessage(m -> System.out.println(m.getText())).start()) {
 *     ...
 * }
 * }</pre>
 */
public final class RoomStream implements AutoCloseable {

    /** How messages currently arrive. */
    public enum Transport { STREAM, LONG_POLL }

    private static final Set<Integer> NO_STREAM_HERE = Set.of(404, 405, 406, 501);

    private final ApiClient client;
    private final Builder options;
    private final Thread worker;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long lastId;
    private volatile Transport transport = Transport.STREAM;
    private volatile InputStream openBody;

    private RoomStream(ApiClient client, Builder options) {
        this.client = client;
        this.options = options;
        this.lastId = options.after;
        this.worker = new Thread(this::run, "agent-chat-room-stream");
        this.worker.setDaemon(true);
    }

    public static Builder builder(ApiClient client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /** The id of the last message delivered (-1 while none was and the stream started live). */
    public long lastId() {
        return lastId;
    }

    public Transport transport() {
        return transport;
    }

    public boolean isRunning() {
        return worker.isAlive();
    }

    @Override
    public void close() {
        closed.countDown();
        closeBody();
        worker.interrupt();
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void run() {
        Duration backoff = options.minBackoff;
        while (!isClosed()) {
            try {
                if (transport == Transport.STREAM) {
                    follow();
                    if (transport == Transport.STREAM) {
                        pause(options.minBackoff); // the connection ended: reconnect, resuming
                    }
                } else {
                    poll();
                }
                backoff = options.minBackoff;
            } catch (ApiException e) {
                if (e.getCode() == 401 || e.getCode() == 403) {
                    if (!isClosed()) {
                        options.onError.accept(e);
                    }
                    return;
                }
                backoff = pause(backoff);
            } catch (IOException | RuntimeException e) {
                backoff = pause(backoff);
            }
        }
    }

    /** One SSE connection: returns when the server or the network ends it. */
    private void follow() throws IOException, ApiException {
        HttpRequest.Builder request = HttpRequest.newBuilder(streamUri())
            .header("Accept", "text/event-stream")
            .GET();
        if (lastId >= 0) {
            request.header("Last-Event-ID", Long.toString(lastId));
        }
        if (client.getRequestInterceptor() != null) {
            client.getRequestInterceptor().accept(request);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.getHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            openBody = body;
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status == 200 && !type.startsWith("text/event-stream") || NO_STREAM_HERE.contains(status)) {
                transport = Transport.LONG_POLL;
                return;
            }
            if (status != 200) {
                throw new ApiException(status, "stream answered " + status, response.headers(),
                    new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            SseParser events = new SseParser(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
            for (SseLines.Event event = events.next(); event != null && !isClosed(); event = events.next()) {
                if (SseLines.MESSAGE.equals(event.type())) {
                    deliver(client.getObjectMapper().readValue(event.data(), Message.class));
                }
            }
        } finally {
            openBody = null;
        }
    }

    /** One long-poll round trip. */
    private void poll() throws ApiException {
        MessagesApi messages = new MessagesApi(client);
        if (lastId < 0) {
            // Started live: skip what is already retained.
            lastId = messages.pollMessages(0L, null, options.agent, options.forName).getNext();
        }
        PollResult result = messages.pollMessages(lastId, BigDecimal.valueOf(options.pollWait.toSeconds()),
            options.agent, options.forName);
        result.getMessages().forEach(this::deliver);
        if (result.getNext() != null && result.getNext() < lastId) {
            lastId = result.getNext(); // the room restarted: follow its new numbering
        }
    }

    private void deliver(Message message) {
        if (message.getId() == null || message.getId() <= lastId || isClosed()) {
            return;
        }
        lastId = message.getId();
        options.onMessage.accept(message);
    }

    private URI streamUri() {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        if (options.agent != null) {
            query.add("agent=" + URLEncoder.encode(options.agent, StandardCharsets.UTF_8));
        }
        if (options.forName != null) {
            query.add("for=" + URLEncoder.encode(options.forName, StandardCharsets.UTF_8));
        }
        return URI.create(client.getBaseUri() + "/messages/stream" + query);
    }

    private Duration pause(Duration backoff) {
        try {
            closed.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.countDown();
        }
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(options.maxBackoff) > 0 ? options.maxBackoff : doubled;
    }

    private void closeBody() {
        InputStream body = openBody;
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing to stop reading: nothing else to do
            }
        }
    }

    /** Options of a {@link RoomStream}; {@link #start()} opens it on a daemon thread. */
    public static final class Builder {
        private final ApiClient client;
        private long after = -1;
        private String agent;
        private String forName;
        private Duration minBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(15);
        private Duration pollWait = Duration.ofSeconds(25);
        private Consumer<Message> onMessage = message -> { };
        private Consumer<ApiException> onError = error -> { };

        private Builder(ApiClient client) {
            this.client = client;
        }

        /** Replay every retained message with an id above this first (0: the whole history). Default: live only. */
        public Builder after(long after) {
            this.after = after;
            return this;
        }

        /** Listen as this agent (shows as online in {@code listAgents}). */
        public Builder agent(String agent) {
            this.agent = agent;
            return this;
        }

        /** Only messages that mention this name or are addressed to it. */
        public Builder forName(String forName) {
            this.forName = forName;
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** How long one long-poll waits when falling back (at most 60 s). */
        public Builder pollWait(Duration pollWait) {
            this.pollWait = pollWait;
            return this;
        }

        public Builder onMessage(Consumer<Message> onMessage) {
            this.onMessage = Objects.requireNonNull(onMessage);
            return this;
        }

        /** Called once if the room refuses the password; the stream then stops. */
        public Builder onError(Consumer<ApiException> onError) {
            this.onError = Objects.requireNonNull(onError);
            return this;
        }

        public RoomStream start() {
            RoomStream stream = new RoomStream(client, this);
            stream.worker.start();
            return stream;
        }
    }
}
