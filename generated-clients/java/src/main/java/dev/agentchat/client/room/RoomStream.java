package dev.agentchat.client.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.agentchat.client.ApiClient;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.api.MessagesApi;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.PollResult;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows a room as {@code docs/following.md} describes: Server-Sent Events from
 * {@code /messages/stream}, resumed with {@code Last-Event-ID} after every loss (exponential
 * backoff), so no message the room still keeps is lost and none is doubled. A stream that stays
 * silent past the silence timeout (the server sends a keepalive every 15 s) is a loss too. When the
 * stream is not available on the path to the server (an answer that is not an event stream, or no
 * first line within the open timeout) it long-polls {@code pollMessages} instead and tries the stream
 * again every stream-retry interval. Before resuming after a loss (and before the first connection,
 * when it starts from a message it was given) it checks the message at its cursor: a server restarted
 * behind the same address has another one there (or none), and the room is followed from its new
 * beginning. A wrong password (401/403) or a room that is gone (404 {@code room_not_found}) stops it
 * and is handed to {@code onError} as the generated {@link ApiException}; so does a stream that ends
 * for good and says why ({@code events=end}: its room ended, its name was kicked), with no loss
 * reported first.
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

    /** Which transports may be used. */
    public enum Mode {
        /** The stream, long-poll while it is unavailable (the default). */
        AUTO,
        /** The stream only: unavailable before the first connection is an error. */
        STREAM_ONLY,
        /** Long-poll only. */
        LONG_POLL_ONLY
    }

    /** What happens to the connection, for people watching it; every method does nothing by default. */
    public interface Listener {
        /**
         * The connection was lost (reported once per outage, only after a connection had worked, or
         * the caller had reached the room: {@link Builder#reachedBefore}).
         */
        default void lost(String why) {
        }

        /** A connection works again after {@link #lost}. */
        default void reconnected() {
        }

        /** The stream is not available on the way to the server: long-polling from now on. */
        default void fellBack(String why) {
        }

        /** A retry of the stream worked: streaming again. */
        default void streamBack() {
        }

        /** The server was restarted behind the same address: following its new room from the beginning. */
        default void restarted() {
        }

        /** Messages after {@code requested} were dropped from the history before they could be replayed. */
        default void truncated(long requested, long oldest) {
        }
    }

    /** Answers to the stream that are a loss to retry, not a sign that the stream is unavailable. */
    private static final Set<Integer> RETRY_LATER = Set.of(429, 503);
    private static final String TRUNCATED = "truncated";
    /** The event a stream that ends for good sends last, saying why as the next request's refusal would. */
    private static final String END = "end";
    /** The refusals an {@code end} event stands for, by their code: what the next request would be answered. */
    private static final Map<String, Integer> ENDINGS = Map.of("room_not_found", 404, "kicked", 403);

    private final ApiClient client;
    private final Builder options;
    private final MessagesApi messages;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread worker;
    private volatile long lastId;
    private volatile OffsetDateTime lastTimestamp;
    private volatile Transport transport;
    private volatile StreamConnection connection;
    private volatile ApiException failure;
    private boolean connectedOnce;
    /** The caller had reached the room before following ({@link Builder#reachedBefore}). */
    private final boolean reachedBefore;
    private boolean outage;
    private boolean checkCursor;
    private boolean fellBack;
    private long nextStreamTry;

    private RoomStream(ApiClient client, Builder options) {
        this.client = client;
        this.options = options;
        this.messages = new MessagesApi(client);
        this.lastId = options.after;
        this.lastTimestamp = options.afterTimestamp;
        this.transport = options.mode == Mode.LONG_POLL_ONLY ? Transport.LONG_POLL : Transport.STREAM;
        this.reachedBefore = options.reachedBefore;
        // given the message itself, a server restarted since the caller read it is told before the first connection
        this.checkCursor = options.afterTimestamp != null;
    }

    public static Builder builder(ApiClient client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /**
     * The id of the last message delivered; when none was yet, where following started (-1 until a
     * live start has asked the room for its newest message).
     */
    public long lastId() {
        return lastId;
    }

    public Transport transport() {
        return transport;
    }

    /** Whether it still follows: false once closed or stopped by an error (also inside {@code onError}). */
    public boolean isRunning() {
        Thread running = worker;
        return running != null && running.isAlive() && !isClosed();
    }

    /** Waits until the follower stops (closed, or stopped by an error). */
    public void join() throws InterruptedException {
        Thread running = worker;
        if (running != null) {
            running.join();
        }
    }

    /** The error that stopped the follower, if one did. */
    public ApiException failure() {
        return failure;
    }

    /** Stops following; may be called from {@code onMessage}. */
    @Override
    public void close() {
        closed.countDown();
        StreamConnection open = connection;
        if (open != null) {
            open.close();
        }
        Thread running = worker;
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Follows on the calling thread until closed; the error that stopped it is thrown. */
    private void follow() throws ApiException {
        worker = Thread.currentThread();
        run();
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        Duration backoff = options.minBackoff;
        while (!isClosed()) {
            try {
                if (lastId < 0) {
                    startLive();
                }
                if (checkCursor) {
                    checkCursor = false;
                    checkForRestart();
                }
                boolean delivered = transport == Transport.STREAM ? stream() : poll();
                if (delivered) {
                    backoff = options.minBackoff;
                }
                if (transport == Transport.STREAM && !isClosed()) {
                    backoff = pause(backoff); // the stream ended: reconnect, resuming
                }
            } catch (ApiException e) {
                if (isClosed()) {
                    return;
                }
                if (stops(e) || e instanceof StreamUnavailableException) {
                    stop(e);
                    return;
                }
                lost(why(e), e.getCode() != 0);
                backoff = pause(backoff);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                lost(describe(e), false);
                backoff = pause(backoff);
            }
        }
    }

    /**
     * One stream connection until it ends (then a loss is recorded) or is silent too long.
     *
     * @return whether it opened (the next loss starts the backoff again)
     */
    private boolean stream() throws ApiException, IOException, InterruptedException {
        try (StreamConnection open = StreamConnection.open(client.getHttpClient(), streamRequest())) {
            connection = open;
            if (isClosed()) {
                return false;
            }
            StreamConnection.Opening opening = open.awaitOpen(options.openTimeout);
            if (opening == StreamConnection.Opening.FAILED) {
                Throwable cause = open.failure();
                throw new IOException(cause == null ? "connection failed" : describe(cause), cause);
            }
            if (opening == StreamConnection.Opening.REFUSED) {
                int status = open.status();
                if (status == 401 || status == 403 || RETRY_LATER.contains(status)) {
                    // the answer's JSON says why (invalid_password, kicked with blocked_until, token_revoked…)
                    throw new ApiException(status, open.refusal(), null, open.refusalBody());
                }
                if (status == 404) {
                    askForTheRoom(); // a room that is gone is told apart from a stream a proxy does not know
                }
                unavailable(open.refusal(), status);
                return false;
            }
            connected();
            if (fellBack) {
                fellBack = false;
                options.listener.streamBack();
            }
            for (SseLines.Event event = open.next(options.silenceTimeout); event != null && !isClosed();
                 event = open.next(options.silenceTimeout)) {
                if (SseLines.MESSAGE.equals(event.type())) {
                    deliver(client.getObjectMapper().readValue(event.data(), Message.class));
                } else if (TRUNCATED.equals(event.type())) {
                    JsonNode info = client.getObjectMapper().readTree(event.data());
                    options.listener.truncated(info.path("requested").asLong(), info.path("oldest").asLong());
                } else if (END.equals(event.type())) {
                    ended(event.data());
                }
            }
            if (!isClosed()) {
                lost(open.silent()
                    ? "no data for " + options.silenceTimeout.toSeconds() + " s" : "connection closed", false);
            }
            return true;
        } finally {
            connection = null;
        }
    }

    /**
     * The stream ended for good and said why (its room ended, its name was kicked): thrown as the
     * refusal the next request would get, so following stops without reporting a loss first. An
     * ending it does not know is left to the stream's close, a loss.
     */
    private void ended(String data) throws ApiException, IOException {
        JsonNode why = client.getObjectMapper().readTree(data);
        Integer status = ENDINGS.get(why.path("code").asText());
        if (status != null) {
            throw new ApiException(status, why.path("error").asText(), null, data);
        }
    }

    /** The stream is not available on this path: long-poll, or stop when only the stream may be used. */
    private void unavailable(String why, int status) throws ApiException {
        if (options.mode == Mode.STREAM_ONLY) {
            if (!connectedOnce) {
                throw new StreamUnavailableException(status, why);
            }
            throw new ApiException(status, why); // a loss: retried
        }
        transport = Transport.LONG_POLL;
        nextStreamTry = System.nanoTime() + options.streamRetry.toNanos();
        if (!fellBack) {
            fellBack = true;
            options.listener.fellBack(why);
        }
    }

    /**
     * One long-poll round trip, or a retry of the stream when it is due.
     *
     * @return true: a poll answered
     */
    private boolean poll() throws ApiException, IOException, InterruptedException {
        if (options.mode == Mode.AUTO && System.nanoTime() - nextStreamTry >= 0) {
            transport = Transport.STREAM;
            try {
                return stream();
            } catch (ApiException e) {
                if (stops(e)) {
                    throw e;
                }
            } catch (IOException e) {
                // the retry failed: keep polling, the poll notices a real loss
            }
            transport = Transport.LONG_POLL;
            nextStreamTry = System.nanoTime() + options.streamRetry.toNanos();
        }
        PollResult result = messages.pollMessages(lastId, seconds(pollWait()), null, options.agent, options.forName);
        connected();
        if (result.getNext() != null && result.getNext() < lastId) {
            restart(); // the room has fewer messages than we saw: it answered with everything it has
        }
        result.getMessages().forEach(this::deliver);
        return true;
    }

    /** The poll's wait: no longer than until the stream is due to be tried again. */
    private Duration pollWait() {
        if (options.mode != Mode.AUTO) {
            return options.pollWait;
        }
        Duration untilRetry = Duration.ofNanos(Math.max(0, nextStreamTry - System.nanoTime()));
        Duration wait = untilRetry.compareTo(options.pollWait) < 0 ? untilRetry : options.pollWait;
        return wait.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : wait;
    }

    /**
     * Started live: following starts after the room's newest message, as a resume point. Without one,
     * a first connection lost before any message would reconnect live again and miss what was posted
     * in between.
     */
    private void startLive() throws ApiException {
        List<Message> newest = messages.listMessages(null, null, 1, null, null).getMessages();
        lastId = newest.isEmpty() ? 0 : newest.get(0).getId();
        lastTimestamp = newest.isEmpty() ? null : newest.get(0).getTimestamp();
    }

    /**
     * Before resuming after a loss, or before the first connection from a message given as the cursor:
     * is the message at the cursor still the one seen? A server restarted behind the same address has
     * another one under that id, or fewer messages.
     */
    private void checkForRestart() throws ApiException {
        long cursor = lastId;
        if (cursor <= 0) {
            return;
        }
        List<Message> around;
        try {
            around = messages.listMessages(cursor - 1, null, 1, null, null).getMessages();
        } catch (ApiException e) {
            if (stops(e)) {
                throw e;
            }
            checkCursor = true; // still unreachable: check again before the next attempt
            return;
        }
        OffsetDateTime seen = lastTimestamp;
        boolean gone = around.isEmpty();
        boolean replaced = !gone && Objects.equals(around.get(0).getId(), cursor) && seen != null
            && around.get(0).getTimestamp() != null && !seen.isEqual(around.get(0).getTimestamp());
        if (gone || replaced) {
            restart();
        }
    }

    /** Throws the room's {@code 404 room_not_found} when it is gone; anything else leaves the stream's refusal as it was. */
    private void askForTheRoom() throws ApiException {
        try {
            messages.listMessages(null, null, 1, null, null);
        } catch (ApiException e) {
            if (roomGone(e)) {
                throw e;
            }
        }
    }

    /** What an error answer says: its status and the {@code error} of its JSON body, or the exception's message. */
    private String why(ApiException e) {
        String error = errorBody(e).path("error").asText();
        if (!error.isEmpty()) {
            return "HTTP " + e.getCode() + ": " + error;
        }
        if (e.getCode() == 0) {
            return describe(e); // no answer came
        }
        return e.getMessage() == null ? "HTTP " + e.getCode() : e.getMessage();
    }

    /** Whether an error ends following, since no retry mends it: a refused password (401/403), or a room that is gone. */
    private boolean stops(ApiException e) {
        return e.getCode() == 401 || e.getCode() == 403 || roomGone(e);
    }

    /** A 404 with the code {@code room_not_found}: the room is gone, and no retry brings it back. */
    private boolean roomGone(ApiException e) {
        return e.getCode() == 404 && "room_not_found".equals(errorBody(e).path("code").asText());
    }

    /** The JSON body of an error answer; a missing node when there is none or it is not JSON. */
    private JsonNode errorBody(ApiException e) {
        try {
            return e.getResponseBody() == null ? MissingNode.getInstance() : client.getObjectMapper().readTree(e.getResponseBody());
        } catch (IOException | RuntimeException notJson) {
            return MissingNode.getInstance();
        }
    }

    private void restart() {
        lastId = 0;
        lastTimestamp = null;
        options.listener.restarted();
    }

    private void connected() {
        connectedOnce = true;
        if (outage) {
            outage = false;
            options.listener.reconnected();
        }
    }

    /**
     * A loss, reported once per outage; before the first connection only when the server answered
     * (busy or full: 429, 503) or the caller had reached it: a follower that never reached it is
     * otherwise still starting.
     */
    private void lost(String why, boolean answered) {
        checkCursor = true;
        if ((connectedOnce || reachedBefore || answered) && !outage) {
            outage = true;
            options.listener.lost(why);
        }
    }

    private void stop(ApiException error) {
        failure = error;
        closed.countDown();
        options.onError.accept(error);
    }

    private void deliver(Message message) {
        if (message.getId() == null || message.getId() <= lastId || isClosed()) {
            return;
        }
        lastId = message.getId();
        lastTimestamp = message.getTimestamp();
        options.onMessage.accept(message);
    }

    private HttpRequest streamRequest() {
        HttpRequest.Builder request = HttpRequest.newBuilder(streamUri())
            .header("Accept", "text/event-stream")
            .GET();
        request.header("Last-Event-ID", Long.toString(lastId));
        if (client.getRequestInterceptor() != null) {
            client.getRequestInterceptor().accept(request);
        }
        return request.build();
    }

    private URI streamUri() {
        // the stream says why when it ends for good
        StringJoiner query = new StringJoiner("&", "?", "").add("events=" + END);
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
            closed.countDown();
        }
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(options.maxBackoff) > 0 ? options.maxBackoff : doubled;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Why a request got no answer, as a person reads it ({@link Unanswered#why(Throwable, String)}). */
    private String describe(Throwable cause) {
        return Unanswered.why(cause, URI.create(client.getBaseUri()).getHost());
    }

    /** Options of a {@link RoomStream}; {@link #start()} opens it on a daemon thread, {@link #follow()} on this one. */
    public static final class Builder {
        private final ApiClient client;
        private long after = -1;
        private OffsetDateTime afterTimestamp;
        private String agent;
        private String forName;
        private Mode mode = Mode.AUTO;
        private Duration minBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(15);
        private Duration pollWait = Duration.ofSeconds(25);
        private Duration openTimeout = Duration.ofSeconds(10);
        private Duration silenceTimeout = Duration.ofSeconds(45);
        private Duration streamRetry = Duration.ofSeconds(30);
        private Consumer<Message> onMessage = message -> { };
        private Consumer<ApiException> onError = error -> { };
        private Listener listener = new Listener() { };
        private boolean reachedBefore;

        private Builder(ApiClient client) {
            this.client = client;
        }

        /** Replay every retained message with an id above this first (0: the whole history). Default: live only, from the room's newest message when following starts. */
        public Builder after(long after) {
            this.after = after;
            this.afterTimestamp = null;
            return this;
        }

        /**
         * Replay every retained message after this one; its timestamp tells a restarted server from the
         * same room, checked before the first connection and after every loss.
         */
        public Builder after(Message seen) {
            this.after = seen.getId();
            this.afterTimestamp = seen.getTimestamp();
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

        /** Which transports may be used (default {@link Mode#AUTO}). */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode);
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

        /** How long the stream may take to send its first line before it counts as unavailable (10 s). */
        public Builder openTimeout(Duration openTimeout) {
            this.openTimeout = openTimeout;
            return this;
        }

        /** How long an open stream may send nothing, not even a keepalive, before it counts as lost (45 s). */
        public Builder silenceTimeout(Duration silenceTimeout) {
            this.silenceTimeout = silenceTimeout;
            return this;
        }

        /** While long-polling, how often to try the stream again (30 s). */
        public Builder streamRetry(Duration streamRetry) {
            this.streamRetry = streamRetry;
            return this;
        }

        public Builder onMessage(Consumer<Message> onMessage) {
            this.onMessage = Objects.requireNonNull(onMessage);
            return this;
        }

        /** Called once if the room refuses the password (or the stream, in {@link Mode#STREAM_ONLY}); it then stops. */
        public Builder onError(Consumer<ApiException> onError) {
            this.onError = Objects.requireNonNull(onError);
            return this;
        }

        /** Told about losses, reconnections, fallbacks and restarts. */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * The caller has reached the room already (read its history, claimed a name): a loss before
         * the stream's first connection (the server stopped meanwhile) is reported like any later
         * one, not taken for a follower still starting. It does not change what stops following.
         */
        public Builder reachedBefore() {
            this.reachedBefore = true;
            return this;
        }

        /** Follows on a daemon thread. */
        public RoomStream start() {
            RoomStream stream = new RoomStream(client, this);
            Thread thread = new Thread(stream::run, "agent-chat-room-stream");
            thread.setDaemon(true);
            stream.worker = thread;
            thread.start();
            return stream;
        }

        /**
         * Follows on this thread until the follower is closed (e.g. from {@code onMessage}) or an error stops it.
         *
         * @param created receives the follower before it starts, so that {@code onMessage} can close it
         * @throws ApiException the error that stopped it: a wrong password, or a
         *                      {@link StreamUnavailableException} in {@link Mode#STREAM_ONLY}
         */
        public void follow(Consumer<RoomStream> created) throws ApiException {
            RoomStream stream = new RoomStream(client, this);
            created.accept(stream);
            stream.follow();
        }
    }
}
