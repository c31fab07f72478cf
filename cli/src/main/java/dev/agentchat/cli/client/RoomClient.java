package dev.agentchat.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.client.ApiClient;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.api.AgentsApi;
import dev.agentchat.client.api.MessagesApi;
import dev.agentchat.client.api.RoomApi;
import dev.agentchat.client.model.Agent;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.NewMessage;
import dev.agentchat.client.model.PollResult;
import dev.agentchat.client.model.RoomTopic;
import dev.agentchat.client.room.Rooms;
import dev.agentchat.messages.SendCheck;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The room's non-streaming API, through the client generated from {@code openapi/agent-chat.yaml}.
 * Every failure becomes a {@link RoomException} with a readable message. Also works against the
 * original Python server (messages without ids, a poll that never waits, {@code next} = count).
 * No call waits without a bound: the headers within the call's timeout, the body too
 * ({@link BoundedHttpClient}), even from a server that never ends an error body.
 */
public class RoomClient {
    /** Request timeout of the original clients for send and get. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The longest a server holds a long-poll (its {@code agent-chat.max-wait}); we never ask for more. */
    public static final Duration MAX_POLL_WAIT = Duration.ofSeconds(55);
    /** Messages asked for at a time when reading the history: a full room comes in pages, never in one answer. */
    public static final int PAGE = 500;

    private final RoomAddress address;
    private final String password;
    private final ObjectMapper mapper = ApiClient.createDefaultObjectMapper();
    private final MessagesApi messages;
    private final ApiClient pollingClient;
    private final MessagesApi polls;
    private final AgentsApi agents;
    private final RoomApi room;
    private final HttpClient exportClient;
    private volatile Boolean legacy;

    public RoomClient(RoomAddress address, String password) {
        this.address = address;
        this.password = password;
        HttpClient.Builder builder = HttpClients.builder(address)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
        this.messages = new MessagesApi(apiClient(builder, TIMEOUT));
        this.pollingClient = apiClient(builder, MAX_POLL_WAIT.plusSeconds(15));
        this.polls = new MessagesApi(pollingClient);
        this.agents = new AgentsApi(apiClient(builder, TIMEOUT));
        this.room = new RoomApi(apiClient(builder, TIMEOUT));
        this.exportClient = builder.build();
    }

    private ApiClient apiClient(HttpClient.Builder builder, Duration timeout) {
        HttpClient http = new BoundedHttpClient(builder.build());
        ApiClient client = new ApiClient(builder, mapper, address.toString()) {
            @Override
            public HttpClient getHttpClient() {
                return http;
            }
        };
        client.setReadTimeout(timeout);
        client.setRequestInterceptor(request -> request.header(Rooms.PASSWORD_HEADER, password));
        return client;
    }

    public RoomAddress address() {
        return address;
    }

    public String password() {
        return password;
    }

    /** The JSON mapper of the generated models (also parses stream events into {@link Message}). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The generated client with a timeout long enough for long-polls, for the Java client's {@code RoomStream}. */
    public ApiClient api() {
        return pollingClient;
    }

    /** Posts a message; returns it as stored (without an id on the original server). */
    public Message send(String agent, String text, @Nullable List<String> to, @Nullable Long replyTo) {
        NewMessage message = new NewMessage().text(text).agent(agent);
        if (to != null && !to.isEmpty()) {
            message.setTo(to);
        }
        message.setReplyTo(replyTo);
        try {
            return call(() -> messages.sendMessage(message).getMessage());
        } catch (RoomException e) {
            if (e.status() == 413 && e.limit() != null) {
                throw new RoomException(RoomException.Kind.REJECTED, 413, "Message is "
                    + number(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length) + " bytes; this room takes at most "
                    + number(e.limit()) + ". Split it or send a file path.", e.code(), e.limit());
            }
            throw e;
        }
    }

    /**
     * Every retained message after {@code after}, oldest first, handed to {@code sink} a page at a
     * time as the pages come (the original server, which has no pages, answers in one). Returns the
     * newest message seen, if any.
     */
    public Optional<Message> pages(long after, Consumer<List<Message>> sink) {
        if (legacy()) {
            List<Message> all = call(() -> messages.listMessages(null, null, null, null, null).getMessages());
            sink.accept(all);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }
        Message newest = null;
        for (long cursor = after; ; ) {
            long from = cursor;
            List<Message> page = call(() -> messages.listMessages(from, null, PAGE, null, null).getMessages());
            if (!page.isEmpty()) {
                sink.accept(page);
                newest = page.get(page.size() - 1);
                cursor = newest.getId();
            }
            if (page.size() < PAGE) {
                return Optional.ofNullable(newest);
            }
        }
    }

    /**
     * The newest {@code count} retained messages after {@code after} that {@code wanted} keeps, oldest
     * first, read backwards a page at a time from the newest; and the place to follow the room on
     * from (its newest message, wanted or not).
     */
    public Newest newest(long after, int count, Predicate<Message> wanted) {
        if (legacy()) {
            List<Message> all = call(() -> messages.listMessages(null, null, null, null, null).getMessages());
            List<Message> kept = all.stream().filter(wanted).toList();
            // no ids there: the place to follow on from is the history's length
            return new Newest(kept.subList(Math.max(0, kept.size() - count), kept.size()),
                all.isEmpty() ? Checkpoint.START : Checkpoint.at(all.size()));
        }
        Deque<Message> kept = new ArrayDeque<>();
        Message last = null;
        Long before = null;
        int size = Math.max(count, 1);
        while (true) {
            Long end = before;
            List<Message> page = call(() -> messages.listMessages(after, end == null ? Long.MAX_VALUE : end,
                Math.min(Math.max(size, PAGE / 5), PAGE), null, null).getMessages());
            if (last == null && !page.isEmpty()) {
                last = page.get(page.size() - 1);
            }
            for (int i = page.size() - 1; i >= 0 && kept.size() < count; i--) {
                if (wanted.test(page.get(i))) {
                    kept.addFirst(page.get(i));
                }
            }
            if (kept.size() >= count || page.isEmpty() || page.get(0).getId() <= after + 1) {
                return new Newest(List.copyOf(kept), last == null ? Checkpoint.START : Checkpoint.of(last));
            }
            before = page.get(0).getId();
        }
    }

    /** What {@link #newest} found: the messages kept, and where to follow the room on from. */
    public record Newest(List<Message> messages, Checkpoint next) {
    }

    /** Every retained message, oldest first (read a page at a time). */
    public List<Message> history() {
        List<Message> all = new java.util.ArrayList<>();
        pages(0, all::addAll);
        return all;
    }

    /**
     * The retained messages whose text contains {@code text} (ignoring case), the newest {@code limit}
     * of them, oldest first; optionally only {@code author}'s and only between {@code after} and {@code before}.
     */
    public List<Message> search(String text, @Nullable String author, @Nullable Long after, @Nullable Long before,
                                int limit) {
        Long end = before == null && after != null ? Long.valueOf(Long.MAX_VALUE) : before;
        return call(() -> messages.listMessages(after, end, limit, text, author).getMessages());
    }

    /**
     * Writes the room's transcript ({@code markdown}, {@code jsonl} or {@code html}) to {@code out} as
     * it arrives, without holding it.
     */
    public void export(String format, Writer out) {
        URI uri = address.resolve("/messages/export?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header(Rooms.PASSWORD_HEADER, password).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = exportClient.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String error = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                throw translate(new ApiException(response.statusCode(), "export", response.headers(), error));
            }
            new InputStreamReader(body, StandardCharsets.UTF_8).transferTo(out);
            out.flush();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /**
     * The room's topic; empty when it has none, or when the room cannot say (an older server, or
     * none reachable: the topic is never worth failing a command for).
     */
    public Optional<String> topic() {
        try {
            return Optional.ofNullable(call(() -> room.getRoom().getTopic())).filter(t -> !t.isBlank());
        } catch (RoomException e) {
            return Optional.empty();
        }
    }

    /** Sets the room's topic (empty clears it) as the host; returns the topic now set. */
    public Optional<String> setTopic(String topic, String hostKey) {
        RoomTopic body = new RoomTopic().topic(topic);
        return Optional.ofNullable(call(() -> room.setRoomTopic(body, Map.of("Authorization", "Bearer " + hostKey)))
            .getTopic());
    }

    /** Message {@code id} if the room still has it (never on the original server). */
    public Optional<Message> find(long id) {
        if (id < 1) {
            return Optional.empty();
        }
        return call(() -> messages.listMessages(id - 1, null, 1, null, null).getMessages()).stream()
            .filter(m -> m.getId() != null && m.getId() == id)
            .findFirst();
    }

    /** Message {@code id}, or the oldest retained one after it when it was dropped; empty when the room has not reached {@code id}. */
    public Optional<Message> firstFrom(long id) {
        return call(() -> messages.listMessages(id - 1, null, 1, null, null).getMessages()).stream().findFirst();
    }

    /**
     * What speaks against sending this ({@link SendCheck}), asking the room about the recipients and
     * the message answered (nothing against the original server, which cannot tell).
     */
    public SendCheck.Verdict checkSend(String agent, List<String> to, @Nullable Long replyTo) {
        if (legacy()) {
            return SendCheck.offline(agent);
        }
        return SendCheck.check(agent, to, replyTo,
            id -> firstFrom(id).map(m -> OptionalLong.of(m.getId() == null ? id : m.getId())).orElse(OptionalLong.empty()),
            () -> agents().stream().map(Agent::getName).toList());
    }

    /**
     * Messages after {@code after}; with a {@code wait}, held by the server until one arrives (the
     * original server answers at once whatever {@code wait} says).
     *
     * @param agent   who polls, for presence (may be null)
     * @param forName only messages mentioning or addressed to this name (may be null)
     */
    public PollResult poll(long after, @Nullable Duration wait, @Nullable String agent, @Nullable String forName) {
        BigDecimal seconds = wait == null ? null
            : BigDecimal.valueOf(Math.min(wait.toMillis(), MAX_POLL_WAIT.toMillis())).movePointLeft(3);
        return call(() -> (wait == null ? messages : polls).pollMessages(after, seconds, agent, forName));
    }

    /** Everyone who has spoken or listened. */
    public List<Agent> agents() {
        try {
            return call(() -> agents.listAgents().getAgents());
        } catch (RoomException e) {
            if (e.status() == 404) {
                throw new RoomException(RoomException.Kind.UNSUPPORTED, 404,
                    "This server does not list agents (it is an older agent-chat server)");
            }
            throw e;
        }
    }

    /**
     * Whether the server is the original Python one (no ids, no long-poll, no filters). Asked once:
     * the original answers 404 to {@code GET /agents} (before it looks at the password, so a poll for
     * nothing then checks that); a wrong password fails here with 401.
     */
    public boolean legacy() {
        Boolean known = legacy;
        if (known == null) {
            try {
                agents();
                known = false;
            } catch (RoomException e) {
                if (e.kind() != RoomException.Kind.UNSUPPORTED) {
                    throw e;
                }
                poll(Long.MAX_VALUE, null, null, null);
                known = true;
            }
            legacy = known;
        }
        return known;
    }

    /**
     * Where to resume after {@code checkpoint}: the same place when the server still has that message
     * (or has dropped it from history), the start when the server was restarted and the message with
     * that id is another one or does not exist yet.
     */
    public Checkpoint verify(Checkpoint checkpoint) {
        if (checkpoint.after() == 0 || checkpoint.timestamp() == null) {
            return checkpoint;
        }
        List<Message> around = call(() -> messages.listMessages(checkpoint.after() - 1, null, 1, null, null).getMessages());
        if (around.isEmpty()) {
            return Checkpoint.START; // fewer messages than before: a new room
        }
        Message message = around.get(0);
        boolean same = message.getId() == null || message.getId() != checkpoint.after()
            || checkpoint.timestamp().isEqual(message.getTimestamp());
        return same ? checkpoint : Checkpoint.START;
    }

    /** A generated-client call, with its exceptions turned into {@link RoomException}. */
    <T> T call(ApiCall<T> call) {
        try {
            return call.run();
        } catch (ApiException e) {
            throw translate(e);
        }
    }

    public RoomException translate(ApiException e) {
        if (e.getCode() == 0) {
            return unreachable(e.getCause() == null ? e : e.getCause());
        }
        if (e.getCode() == 401) {
            return new RoomException(RoomException.Kind.INVALID_PASSWORD, 401, "Invalid password");
        }
        JsonNode body = errorBody(e.getResponseBody());
        JsonNode error = body.path("error");
        StringBuilder message = new StringBuilder(error.isTextual() ? error.asText() : "HTTP error " + e.getCode() + " from " + address);
        Long limit = body.path("limit").canConvertToLong() ? body.path("limit").asLong() : null;
        String retryAfter = header(e, "Retry-After");
        if (limit != null || retryAfter != null) {
            message.append(" (");
            if (limit != null) {
                message.append("limit ").append(number(limit));
            }
            if (retryAfter != null) {
                message.append(limit != null ? "; " : "").append("retry after ").append(retryAfter)
                    .append(retryAfter.matches("\\d+") ? " s" : "");
            }
            message.append(')');
        }
        return new RoomException(RoomException.Kind.REJECTED, e.getCode(), message.toString(),
            body.path("code").isTextual() ? body.path("code").asText() : null, limit);
    }

    /** A number as people read it: {@code 65,536}. */
    public static String number(long n) {
        return String.format(java.util.Locale.US, "%,d", n);
    }

    @Nullable
    private static String header(ApiException e, String name) {
        return e.getResponseHeaders() == null ? null : e.getResponseHeaders().firstValue(name).orElse(null);
    }

    /** A failure before any answer, phrased for people. */
    public RoomException unreachable(Throwable cause) {
        String why;
        if (causedBy(cause, UnresolvedAddressException.class) || causedBy(cause, UnknownHostException.class)) {
            why = "unknown host " + address.base().getHost();
        } else if (causedBy(cause, HttpTimeoutException.class)) {
            why = "timed out";
        } else if (causedBy(cause, ConnectException.class)) {
            why = "connection refused";
        } else if (cause.getMessage() != null) {
            why = cause.getMessage();
        } else {
            why = cause.getClass().getSimpleName();
        }
        return new RoomException(RoomException.Kind.UNREACHABLE, 0, "Cannot reach " + address + ": " + why);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The error body as JSON; a missing node when there is none. */
    private JsonNode errorBody(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return mapper.missingNode();
        }
        try {
            JsonNode node = mapper.readTree(body);
            return node == null ? mapper.missingNode() : node;
        } catch (Exception e) {
            return mapper.missingNode();
        }
    }

    /** A call of the generated API. */
    @FunctionalInterface
    interface ApiCall<T> {
        T run() throws ApiException;
    }
}
