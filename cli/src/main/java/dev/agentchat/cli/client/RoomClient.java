package dev.agentchat.cli.client;

import dev.agentchat.client.ApiClient;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.model.Agent;
import dev.agentchat.client.model.Claim;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.PollResult;
import dev.agentchat.client.room.Rooms;
import dev.agentchat.cli.json.Json;
import dev.agentchat.error.ApiError;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.messages.SendCheck;
import dev.agentchat.presence.Readers;
import dev.agentchat.presence.RosterEntry;
import dev.agentchat.room.HistoryQuery;
import dev.agentchat.coordination.Globs;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The room's non-streaming API ({@code openapi/agent-chat.yaml}), returning the generated client's
 * models, under the name it holds ({@link NameHold}). Every failure becomes a {@link RoomException}
 * with a readable message ({@link Refusals}). Also works against the original Python server
 * (messages without ids, a poll that never waits, {@code next} = count).
 * The one-shot calls (send, poll, list, agents) go over {@link PlainHttp} with a small JSON reader
 * ({@link Wire}): the generated client's Jackson mapper and {@code java.net.http} together cost a
 * one-shot command about 0.3 s of start-up. The generated client ({@link #api()}, for the Java
 * client's {@code RoomStream}) is built only when a command streams.
 * No call waits without a bound: the connection within 10 s, the headers within the call's timeout,
 * the body too, even from a server that never ends an error body.
 */
public class RoomClient {
    /** The longest a server holds a long-poll (its {@code agent-chat.max-wait}); we never ask for more. */
    public static final Duration MAX_POLL_WAIT = Duration.ofSeconds(55);
    /** Messages asked for at a time when reading the history: a full room comes in pages, never in one answer. */
    public static final int PAGE = 500;
    /** How long a send is tried again while the server is out of reach or busy. */
    private static final SafeRetries SEND_RETRIES = new SafeRetries(Duration.ofSeconds(5));
    private static final String NO_ACKS = "This server has no acknowledgements (it is an older agent-chat server)";
    private static final String NO_CLAIMS = "This server has no work claims (it is an older agent-chat server)";
    private static final String TEXT_ONLY = "This server keeps only a message's sender and text (it is an older "
        + "agent-chat server): its recipients, the message it answers and a request for acknowledgements are left out";
    private static final String NO_ABOUT = "This server cannot tell its topic or loop brake (it is an older agent-chat server)";

    private final RoomAddress address;
    private final String password;
    private final RoomHttp http;
    private final RoomIdentity identity;
    private final NameHold names;
    private volatile ApiClient pollingClient;
    /** Whether the server is the original one, once known ({@link #legacy()}). */
    private volatile Boolean legacy;

    public RoomClient(RoomAddress address, String password) {
        this.address = address;
        this.password = password;
        this.http = new RoomHttp(address, password);
        this.identity = new RoomIdentity(http);
        this.names = new NameHold(http, identity, password, () -> Boolean.TRUE.equals(legacy), () -> legacy = false);
    }

    /** The room's identity, by which state saved under another URL of the room is found ({@link RoomIdentity}). */
    RoomIdentity identity() {
        return identity;
    }

    public RoomAddress address() {
        return address;
    }

    public String password() {
        return password;
    }

    /**
     * For a one-shot command with a timeout: no request, the name's claim included, outlives it
     * ({@link RoomHttp#giveUpAt}). Null for none.
     */
    public void giveUpAt(@Nullable Instant deadline) {
        http.giveUpAt(deadline);
    }

    /** Requests as they go over the wire, without the name this client holds (the host's own, for one). */
    RoomHttp http() {
        return http;
    }

    /** The generated client with a timeout long enough for long-polls, for the Java client's {@code RoomStream}. */
    public ApiClient api() {
        names.check();
        ApiClient client = pollingClient;
        if (client == null) {
            synchronized (this) {
                if (pollingClient == null) {
                    HttpClient.Builder builder = HttpClients.builder(address)
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(RoomHttp.CONNECT_TIMEOUT);
                    HttpClient bounded = new BoundedHttpClient(builder.build());
                    ApiClient api = new ApiClient(builder, ApiClient.createDefaultObjectMapper(), address.toString()) {
                        @Override
                        public HttpClient getHttpClient() {
                            return bounded;
                        }
                    };
                    api.setReadTimeout(MAX_POLL_WAIT.plusSeconds(15));
                    api.setRequestInterceptor(this::withCredentials);
                    pollingClient = api;
                }
                client = pollingClient;
            }
        }
        return client;
    }

    /** The password and, when this client holds a name, its token: what a {@code java.net.http} request of its carries. */
    private void withCredentials(HttpRequest.Builder request) {
        request.header(Rooms.PASSWORD_HEADER, http.passwordHeader());
        String held = names.token();
        if (held != null) {
            request.header("Authorization", RoomHttp.bearer(held));
        }
    }

    /**
     * Holds {@code agent} in this room from now on: with the token kept in {@code tokens} when it is
     * still good, else by claiming the name ({@code POST {base}/join}) and keeping the new token. A
     * name someone else holds, or one the host kicked, is a {@link RoomException} saying so; an older
     * server without names is used with the password alone.
     */
    public void holdName(String agent, String kind, NameTokens tokens) {
        names.hold(agent, kind, tokens);
    }

    /** Asks the room once: a room out of reach, or a wrong password, is a refusal (an older server without {@code /room} is not). */
    private void reach() {
        try {
            request("GET", "/room", null, RoomHttp.TIMEOUT, json -> null);
        } catch (RoomException e) {
            if (e.status() != 404 || e.code() != null) {
                throw e;
            }
        }
    }

    /** What {@link #leaveName} found. */
    public enum Leaving {
        /** The claim ended: anyone may take the name now. */
        LEFT,
        /** The saved token had ended already (unused too long, revoked, a restarted server): it is forgotten. */
        ENDED,
        /** No token for the name is saved on this machine: nothing to give up from here. */
        NOT_HELD
    }

    /**
     * Gives up {@code agent} in this room ({@code DELETE {base}/join} with the token saved for it) and
     * forgets the token, under every address of this server it was saved under.
     */
    public Leaving leaveName(String agent, NameTokens tokens) {
        Optional<NameTokens.Saved> saved = tokens.load(address, agent, password, identity);
        if (saved.isEmpty()) {
            reach(); // a mistyped URL or password is said, not taken for a name nobody holds from here
            return Leaving.NOT_HELD;
        }
        if (!saved.get().samePassword()) {
            RoomException readOnly = names.readOnly(); // a wrong -p is refused here too, though the token alone would do
            if (readOnly != null) {
                throw readOnly;
            }
        }
        Leaving outcome = Leaving.LEFT;
        try {
            http.request("DELETE", "/join", null, RoomHttp.TIMEOUT, json -> null, "Authorization", RoomHttp.bearer(saved.get().token()));
        } catch (RoomException e) {
            if (e.status() != 401) {
                throw e;
            }
            outcome = Leaving.ENDED;
        }
        tokens.forget(address, agent, identity);
        return outcome;
    }

    /**
     * Like {@link #holdName}, but a saved token is not checked with a request of its own: it goes with
     * the first real request, and only when the room refuses it (expired, revoked, from before a
     * restart) is the name claimed anew and that request sent again. The server counts every request
     * made with a token as the name's use, as it does a re-join. Spares a one-shot command a round trip.
     * A command that streams checks the token first ({@link #api()}).
     */
    public void holdNameLazily(String agent, String kind, NameTokens tokens) {
        names.holdLazily(agent, kind, tokens);
    }

    /**
     * After the room refused this client's token as one it no longer takes ({@code invalid_token},
     * {@code token_expired}, {@code token_revoked}: a restarted server, a shared store that lost its
     * data, a named room created anew, a claim unused too long), claims the name again as
     * {@link #holdName} does and answers true. Any other refusal (a wrong password), or a client that
     * holds no name, answers false. A claim the room refuses (the name taken meanwhile, kicked) is thrown.
     */
    public boolean claimAgain(RoomException refused) {
        return names.claimAgain(refused);
    }

    /**
     * Whether this client's password is the room's observer password, as the room said when the name
     * was to be claimed ({@link #holdName}): it reads, and every write is refused ({@code read_only}).
     */
    public boolean observes() {
        return names.observes();
    }

    /** Whether this client speaks under a name it holds. */
    public boolean holdsName() {
        return names.token() != null;
    }

    /**
     * A refusal that came without its body (a stream refused at its opening): asks the room once more
     * so the person reads why ({@code kicked}, {@code token_revoked}…) rather than a bare status.
     */
    public RoomException explain(ApiException e) {
        if ((e.getCode() == 401 || e.getCode() == 403) && (e.getResponseBody() == null || e.getResponseBody().isBlank())) {
            try {
                request("GET", "/room", null, RoomHttp.TIMEOUT, json -> null);
            } catch (RoomException why) {
                return why; // a kicked holder in the words every other command uses (Refusals)
            }
        }
        return Refusals.toHolder(http.refusals().of(e), names.agent());
    }

    /** Posts a message; returns it as stored (without an id on the original server). */
    public Message send(String agent, String text, @Nullable List<String> to, @Nullable Long replyTo) {
        return send(agent, text, to, replyTo, false);
    }

    /** Posts a message, asking for acknowledgements when {@code ackRequested}. */
    public Message send(String agent, String text, @Nullable List<String> to, @Nullable Long replyTo, boolean ackRequested) {
        return send(agent, text, to, replyTo, ackRequested, false);
    }

    /**
     * Posts a message; {@code human} declares it a person's ({@code kind: human}): people are never
     * held by the loop brake, and their message releases it. The message carries a key of its own
     * ({@code idempotency_key}), so when the server cannot be reached or answers 503 it is sent again
     * for a few seconds ({@link #SEND_RETRIES}) without ever being stored twice.
     */
    public Message send(String agent, String text, @Nullable List<String> to, @Nullable Long replyTo, boolean ackRequested,
                        boolean human) {
        // the generated client's body: agent, text, to (always), reply_to (when set)
        Json.ObjectWriter body = Json.object().put("agent", agent).put("text", text)
            .put("to", to == null ? List.of() : to);
        if (replyTo != null) {
            body.put("reply_to", replyTo);
        }
        if (ackRequested) {
            body.put("ack_requested", true);
        }
        if (human) {
            body.put("kind", "human");
        }
        body.put("idempotency_key", UUID.randomUUID().toString());
        try {
            return SEND_RETRIES.retry(() -> request("POST", "/messages", body.toString(), RoomHttp.TIMEOUT,
                json -> Wire.message(Wire.object(json).get("message"))));
        } catch (RoomException e) {
            if (e.status() == 413 && e.limit() != null) {
                // a text over the room's limit is message_too_large, even one over the server's request size (the room
                // says its message limit then); body_too_large only where the room takes messages larger than requests
                long bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                String why = ApiError.MESSAGE_TOO_LARGE.code().equals(e.code()) ? NewMessageValidator.tooLarge(bytes, e.limit())
                    : "Message is " + Refusals.number(bytes) + " bytes; the server takes requests of at most " + Refusals.number(e.limit())
                    + " bytes. Split it or send a file path.";
                throw new RoomException(RoomException.Kind.REJECTED, 413, why, e.code(), e.limit());
            }
            throw e;
        }
    }

    /** Acknowledges message {@code id} as {@code agent}; returns everyone who has. */
    public List<String> ack(long id, String agent) {
        return newer(NO_ACKS, () -> request("POST", "/messages/" + id + "/ack", Json.object().put("agent", agent).toString(),
            RoomHttp.TIMEOUT, json -> Wire.names(Wire.object(json).get("acks"))));
    }

    /**
     * {@code call}, a refusal for want of the operation said as the original server's ({@code unsupported})
     * when it is that server: {@link #legacy()} is asked only then, so a newer server costs no request more.
     */
    private <T> T newer(String unsupported, Supplier<T> call) {
        try {
            return call.get();
        } catch (RoomException e) {
            if (e.unknownOperation() && legacy()) {
                throw new RoomException(RoomException.Kind.UNSUPPORTED, e.status(), unsupported);
            }
            throw e;
        }
    }

    /** Takes or renews a claim on {@code resource} (a path glob) for {@code agent}. */
    public Claim claim(String agent, String resource, @Nullable Long ttlSeconds, @Nullable String note) {
        Json.ObjectWriter body = Json.object().put("agent", agent).put("resource", resource);
        if (ttlSeconds != null) {
            body.put("ttl_seconds", ttlSeconds);
        }
        if (note != null) {
            body.put("note", note);
        }
        return newer(NO_CLAIMS, () -> request("POST", "/claims", body.toString(), RoomHttp.TIMEOUT, Wire::claim));
    }

    /** The room's live claims, oldest first. */
    public List<Claim> claims() {
        return newer(NO_CLAIMS, () -> request("GET", "/claims", null, RoomHttp.TIMEOUT, Wire::claims));
    }

    /**
     * The id of the claim on {@code resource} that {@code agent} would release: its own, else another's
     * (which the room then refuses, saying whose it is); empty when nobody claims it.
     */
    public Optional<String> claimOn(String resource, String agent) {
        return claims().stream().filter(c -> c.getResource().equals(Globs.normalized(resource)))
            .min(Comparator.comparing((Claim c) -> !agent.equalsIgnoreCase(c.getAgent())))
            .map(Claim::getId);
    }

    /** Releases claim {@code id}, held by {@code agent}. */
    public Claim release(String id, String agent) {
        return newer(NO_CLAIMS, () -> request("DELETE", "/claims/" + encode(id) + "?agent=" + encode(agent), null, RoomHttp.TIMEOUT,
            Wire::claim));
    }

    /** Every retained message, oldest first (read a page at a time). */
    public List<Message> history() {
        List<Message> all = new ArrayList<>();
        pages(0, all::addAll);
        return all;
    }

    /** Up to {@code limit} messages after {@code after}. */
    private List<Message> list(long after, int limit) {
        return request("GET", "/messages?after=" + after + "&limit=" + limit, null, RoomHttp.TIMEOUT, Wire::messages);
    }

    /**
     * Every retained message after {@code after}, oldest first, handed to {@code sink} a page at a
     * time as the pages come (the original server, which has no pages, answers in one). Returns the
     * newest message seen, if any.
     */
    public Optional<Message> pages(long after, Consumer<List<Message>> sink) {
        return pagesWhile(after, every(sink));
    }

    /** Like {@link #pages(long, Consumer)}, stopping after a page {@code sink} answers false to. */
    private Optional<Message> pagesWhile(long after, Predicate<List<Message>> sink) {
        if (legacy()) {
            List<Message> all = request("GET", "/messages", null, RoomHttp.TIMEOUT, Wire::messages);
            sink.test(all);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }
        Message newest = null;
        for (long cursor = after; ; ) {
            List<Message> page = list(cursor, PAGE);
            boolean more = true;
            if (!page.isEmpty()) {
                more = sink.test(page);
                newest = page.get(page.size() - 1);
                cursor = newest.getId();
            }
            if (page.size() < PAGE || !more) {
                return Optional.ofNullable(newest);
            }
        }
    }

    private static Predicate<List<Message>> every(Consumer<List<Message>> sink) {
        return page -> {
            sink.accept(page);
            return true;
        };
    }

    /**
     * Like {@link #pages(long, Consumer)}, after {@code from}, which it {@linkplain #verify verifies}
     * without a request of its own: the first page starts at the message it is checked against. When the room
     * is not the one the checkpoint was taken in (a restarted server), {@code restarted} is run and
     * every retained message is read, from the start. Returns where reading got to.
     */
    public Checkpoint pages(Checkpoint from, Consumer<List<Message>> sink, Runnable restarted) {
        return pagesWhile(from, every(sink), restarted);
    }

    /**
     * Like {@link #pages(Checkpoint, Consumer, Runnable)}, stopping after a page {@code sink} answers false to
     * (returning that page's last message, whatever {@code sink} took of it).
     */
    public Checkpoint pagesWhile(Checkpoint from, Predicate<List<Message>> sink, Runnable restarted) {
        if (legacy() || !from.checkable()) {
            return pagesWhile(from.after(), sink).map(Checkpoint::of).orElse(from);
        }
        List<Message> first = list(from.checkFrom(), PAGE);
        Optional<List<Message>> newer = from.newerIn(first);
        if (newer.isEmpty()) {
            restarted.run();
            return pagesWhile(0, sink).map(Checkpoint::of).orElse(Checkpoint.START);
        }
        List<Message> unseen = newer.get();
        boolean more = unseen.isEmpty() || sink.test(unseen);
        Checkpoint reached = unseen.isEmpty() ? from : Checkpoint.of(unseen.get(unseen.size() - 1));
        if (first.size() < PAGE || !more) {
            return reached;
        }
        return pagesWhile(reached.after(), sink).map(Checkpoint::of).orElse(reached);
    }

    /**
     * The newest {@code count} retained messages after {@code after} that {@code wanted} keeps, oldest
     * first, read backwards a page at a time from the newest; and the place to follow the room on
     * from (its newest message, wanted or not).
     */
    public Newest newest(long after, int count, Predicate<Message> wanted) {
        if (legacy()) {
            List<Message> all = request("GET", "/messages", null, RoomHttp.TIMEOUT, Wire::messages);
            List<Message> kept = all.stream().filter(wanted).toList();
            // no ids there: the place to follow on from is the history's length
            return new Newest(kept.subList(Math.max(0, kept.size() - count), kept.size()),
                all.isEmpty() ? Checkpoint.START : Checkpoint.at(all.size()));
        }
        Deque<Message> kept = new ArrayDeque<>();
        Message last = null;
        long before = Long.MAX_VALUE;
        int size = Math.min(Math.max(Math.max(count, 1), PAGE / 5), PAGE);
        while (true) {
            List<Message> page = request("GET", "/messages?after=" + after + "&before=" + before + "&limit=" + size,
                null, RoomHttp.TIMEOUT, Wire::messages);
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

    /**
     * The retained messages whose text contains {@code text} (ignoring case), the newest {@code limit}
     * of them, oldest first; optionally only {@code author}'s and only between {@code after} and {@code before}.
     */
    public List<Message> search(String text, @Nullable String author, @Nullable Long after, @Nullable Long before,
                                int limit) {
        StringBuilder path = new StringBuilder("/messages?q=").append(encode(text)).append("&limit=").append(limit);
        if (author != null) {
            path.append("&agent=").append(encode(author));
        }
        if (after != null) {
            path.append("&after=").append(after);
        }
        // with after alone the oldest would be kept: a search wants the newest
        Long end = before == null && after != null ? Long.valueOf(Long.MAX_VALUE) : before;
        if (end != null) {
            path.append("&before=").append(end);
        }
        List<Message> answered = request("GET", path.toString(), null, RoomHttp.TIMEOUT, Wire::messages);
        if (answered.isEmpty() || answered.get(0).getId() != null) {
            return answered;
        }
        // messages without ids: the original server, which ignores q and answers every message; the same rule, here
        List<Message> found = answered.stream()
            .filter(m -> m.getText() != null && HistoryQuery.containsIgnoringCase(m.getText(), text))
            .filter(m -> author == null || author.equalsIgnoreCase(m.getAgent()))
            .toList();
        return found.subList(Math.max(0, found.size() - limit), found.size());
    }

    /**
     * Writes the room's transcript ({@code markdown}, {@code jsonl} or {@code html}) to {@code out} as
     * it arrives, without holding it: the messages after {@code after} (0: all), at most about
     * {@code maxBytes} of them when it is given (the transcript then ends by saying where the rest begins).
     */
    public void export(String format, long after, @Nullable Long maxBytes, Writer out) {
        String query = "/messages/export?format=" + encode(format) + (after > 0 ? "&after=" + after : "")
            + (maxBytes == null ? "" : "&max_bytes=" + maxBytes);
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve(query))
            .timeout(RoomHttp.TIMEOUT).GET();
        withCredentials(request);
        HttpResponse<InputStream> response;
        try {
            response = HttpClients.builder(address).connectTimeout(RoomHttp.CONNECT_TIMEOUT).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw http.refusals().unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw http.refusals().unreachable(e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                RoomException refused = Refusals.toHolder(http.refusals().of(response.statusCode(),
                    name -> response.headers().firstValue(name).orElse(null), Refusals.readErrorBody(body)), names.agent());
                if (refused.status() == 404 && refused.code() == null) {
                    // the original server has no transcript: its 404 has no code of ours
                    throw new RoomException(RoomException.Kind.UNSUPPORTED, 404,
                        "This server cannot export a transcript (it is an older agent-chat server)");
                }
                throw refused;
            }
            new InputStreamReader(body, StandardCharsets.UTF_8).transferTo(out);
            out.flush();
        } catch (IOException e) {
            throw http.refusals().unreachable(e);
        }
    }

    /**
     * The room's topic; empty when it has none (or the server keeps no topics). A wrong password, a
     * gone room or no server is a {@link RoomException}, as for every other request.
     */
    public Optional<String> topic() {
        return Optional.ofNullable(about().topic()).filter(t -> !t.isBlank());
    }

    /**
     * The topic for a greeting (join, the MCP instructions): empty also when the room cannot say,
     * since the topic is never worth failing those for.
     */
    public Optional<String> topicIfAny() {
        try {
            return topic();
        } catch (RoomException e) {
            return Optional.empty();
        }
    }

    /** The loop brake as the room shows it: agent messages in a row, the room's limit (0: off), engaged. */
    public record Brake(long agentTurns, long limit, boolean engaged) {
        static Brake of(@Nullable Object json) {
            Map<String, Object> brake = Wire.object(Wire.object(json).getOrDefault("brake", json));
            return new Brake(brake.get("agent_turns") instanceof Number n ? n.longValue() : 0,
                brake.get("limit") instanceof Number n ? n.longValue() : 0, Boolean.TRUE.equals(brake.get("engaged")));
        }
    }

    /** The room's loop brake ({@code GET {base}/room}). */
    public Brake brake() {
        return about().brake();
    }

    /** What the room says about itself: its name ({@code ~server} for the server's own), its topic (null: none) and its loop brake. */
    public record About(String name, @Nullable String topic, Brake brake) {
        static About of(@Nullable Object json) {
            return new About(Wire.object(json).get("name") instanceof String name ? name : "", topicOf(json), Brake.of(json));
        }
    }

    /** {@code GET {base}/room}. */
    public About about() {
        return newer(NO_ABOUT, () -> request("GET", "/room", null, RoomHttp.TIMEOUT, About::of));
    }

    @Nullable
    static String topicOf(@Nullable Object json) {
        return Wire.object(json).get("topic") instanceof String topic ? topic : null;
    }

    /** Message {@code id} if the room still has it (never on the original server). */
    public Optional<Message> find(long id) {
        if (id < 1) {
            return Optional.empty();
        }
        return list(id - 1, 1).stream()
            .filter(m -> m.getId() != null && m.getId() == id)
            .findFirst();
    }

    /** Message {@code id}, or the oldest retained one after it when it was dropped; empty when the room has not reached {@code id}. */
    public Optional<Message> firstFrom(long id) {
        return list(id - 1, 1).stream().findFirst();
    }

    /**
     * What speaks against sending this ({@link SendCheck}), asking the room about the recipients and
     * the message answered; against the original server, which cannot tell, only that it keeps
     * neither recipients, reply nor a request for acknowledgements.
     */
    public SendCheck.Verdict checkSend(String agent, List<String> to, @Nullable Long replyTo, boolean ackRequested) {
        if (legacy()) {
            SendCheck.Verdict offline = SendCheck.offline(agent);
            if (to.isEmpty() && replyTo == null && !ackRequested) {
                return offline;
            }
            List<String> warnings = new ArrayList<>(offline.warnings());
            warnings.add(TEXT_ONLY);
            return new SendCheck.Verdict(null, warnings);
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
        return poll(after, wait, null, agent, forName);
    }

    /**
     * Like {@link #poll(long, Duration, String, String)}, with at most {@code limit} messages, the oldest after
     * {@code after} (null: as many as one answer holds; a server older than the {@code limit} parameter gives them all).
     */
    public PollResult poll(long after, @Nullable Duration wait, @Nullable Integer limit, @Nullable String agent,
                           @Nullable String forName) {
        StringBuilder path = new StringBuilder("/messages/poll?after=").append(after);
        if (wait != null) {
            path.append("&wait=").append(BigDecimal.valueOf(Math.min(wait.toMillis(), MAX_POLL_WAIT.toMillis())).movePointLeft(3));
        }
        if (limit != null) {
            path.append("&limit=").append(limit);
        }
        if (agent != null) {
            path.append("&agent=").append(encode(agent));
        }
        if (forName != null) {
            path.append("&for=").append(encode(forName));
        }
        return request("GET", path.toString(), null, wait == null ? RoomHttp.TIMEOUT : MAX_POLL_WAIT.plusSeconds(15), Wire::pollResult);
    }

    /**
     * The room's newest message as a checkpoint, {@link Checkpoint#START} when it has none. Not a poll: no
     * agent is named, so none is given the history (a poll under a name moves that name's read receipt).
     */
    public Checkpoint newestMessage() {
        List<Message> newest = request("GET", "/messages?limit=1", null, RoomHttp.TIMEOUT, Wire::messages);
        return newest.isEmpty() || newest.get(0).getId() == null ? Checkpoint.START : Checkpoint.of(newest.get(0));
    }

    /** Everyone who has spoken or listened. */
    public List<Agent> agents() {
        try {
            return request("GET", "/agents", null, RoomHttp.TIMEOUT, Wire::agents);
        } catch (RoomException e) {
            if (!e.unknownOperation()) {
                throw e; // a room that is gone says so, as for every other command
            }
            // the original server has no agents but answers a poll; a URL with no room answers neither
            poll(Long.MAX_VALUE, null, null, null);
            throw new RoomException(RoomException.Kind.UNSUPPORTED, e.status(),
                "This server does not list agents (it is an older agent-chat server)");
        }
    }

    /** Everyone {@link #agents()} lists, as every text surface shows them. */
    public List<RosterEntry> roster() {
        return agents().stream().map(agent -> new RosterEntry(agent.getName(), Boolean.TRUE.equals(agent.getOnline()),
            agent.getConnections() == null ? 0 : agent.getConnections(), instant(agent.getLastSeen()),
            agent.getReadUpTo(), Boolean.TRUE.equals(agent.getWaiting()), Boolean.TRUE.equals(agent.getVerified()),
            agent.getKind() == null ? null : agent.getKind().getValue(), Boolean.TRUE.equals(agent.getMuted()),
            instant(agent.getBlockedUntil()))).toList();
    }

    /** Who has read message {@code id}; empty when the room has not reached it. */
    public Optional<Readers> readers(long id) {
        return firstFrom(id).map(first -> {
            boolean kept = first.getId() != null && first.getId() == id;
            return Readers.of(id, kept ? first.getAgent() : null,
                kept && first.getAcks() != null ? first.getAcks() : List.of(), roster());
        });
    }

    @Nullable
    private static Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
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
                known = true; // it has no agents, and answered a poll
            }
            legacy = known;
        }
        return known;
    }

    /**
     * {@code checkpoint} anchored to the message at its {@code after}, so that a later look can tell this
     * room from a restarted one ({@link #verify}); as it is when already anchored, at the start, or
     * when the room does not have that message.
     */
    public Checkpoint anchored(Checkpoint checkpoint) {
        if (checkpoint.checkable() || checkpoint.after() <= 0 || legacy()) {
            return checkpoint;
        }
        List<Message> at = list(checkpoint.after() - 1, 1);
        return at.isEmpty() || !Long.valueOf(checkpoint.after()).equals(at.get(0).getId()) ? checkpoint : Checkpoint.of(at.get(0));
    }

    /**
     * Where to resume after {@code checkpoint}: the same place when the server still has that message
     * (or has dropped it from history), the start when the server was restarted and the message with
     * that id is another one or does not exist yet.
     */
    public Checkpoint verify(Checkpoint checkpoint) {
        if (!checkpoint.checkable()) {
            return checkpoint;
        }
        List<Message> around = list(checkpoint.checkFrom(), 1);
        return checkpoint.sameRoom(around.isEmpty() ? null : around.get(0)) ? checkpoint : Checkpoint.START;
    }

    /**
     * One request to the room ({@code path} relative to its base URL, query included and encoded),
     * with the password and the token of the name held ({@link NameHold#send}); a 2xx answer's JSON as
     * {@code reader} reads it, every other outcome a {@link RoomException}.
     */
    private <T> T request(String method, String path, @Nullable String body, Duration timeout, Function<Object, T> reader) {
        return names.send(token -> http.withPassword(token, method, path, body, timeout, reader));
    }

    /** A query parameter's value, encoded as the generated client encodes it. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
