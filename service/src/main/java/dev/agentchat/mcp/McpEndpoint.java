package dev.agentchat.mcp;

import dev.agentchat.auth.Caller;
import dev.agentchat.limits.ClientAddresses;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.hosting.RoomAccessFilter;
import dev.agentchat.hosting.RoomThreading;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.transport.HeaderText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The room's Model Context Protocol endpoint at {@code {base URL}/mcp}: the Streamable HTTP transport
 * answering every POST with {@code application/json} (no server-sent stream, so it works through
 * tunnels that buffer streams). The room was opened by {@link RoomAccessFilter} with the password in
 * {@code X-Room-Password}; {@code initialize} opens a session for the agent named in
 * {@code X-Agent-Name} (an observer, who reads as nobody, may leave it out), returned as
 * {@code Mcp-Session-Id} and required from then on.
 *
 * <p>A JSON-RPC batch (which MCP's current versions no longer send) holds at most
 * {@code agent-chat.mcp.max-batch} messages, run one after another; once their answers hold
 * {@code agent-chat.max-answer-bytes}, the requests after them are answered with an error instead of run.
 */
@Controller
public class McpEndpoint {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String AGENT_HEADER = "X-Agent-Name";
    /** The protocol version a client speaks after {@code initialize}; one the server does not speak is 400. */
    static final String VERSION_HEADER = "MCP-Protocol-Version";

    private final McpSessions sessions;
    private final McpProtocol protocol;
    private final JsonMapper json;
    private final ClientAddresses addresses;
    private final RoomThreading threading;
    private final int maxBatch;
    private final long answerBytes;

    public McpEndpoint(McpSessions sessions, McpProtocol protocol, JsonMapper json, ClientAddresses addresses,
                       RoomThreading threading, McpSettings settings, RoomSettings roomSettings) {
        this.maxBatch = settings.maxBatch();
        this.answerBytes = roomSettings.maxAnswerBytes();
        this.addresses = addresses;
        this.threading = threading;
        this.sessions = sessions;
        this.protocol = protocol;
        this.json = json;
    }

    @Post(value = "/mcp", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public Mono<HttpResponse<?>> post(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return answer(request, body);
    }

    @Post(value = "/rooms/{room}/mcp", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public Mono<HttpResponse<?>> postInNamedRoom(String room, HttpRequest<?> request, @Nullable @Body byte[] body) {
        return answer(request, body);
    }

    // the named room's routes take the room's name only to match it: RoomAccessFilter has opened that room

    /**
     * No stream from the server: every answer comes with its POST. The transport's rule for such a
     * server is 405 to any GET, so this route produces whatever the client accepts (a client asking for
     * {@code text/event-stream} would otherwise get 406, which clients take for a failure) and answers JSON.
     */
    @Get(value = "/mcp", produces = MediaType.ALL)
    public HttpResponse<?> stream() {
        return ErrorBody.response(ApiError.METHOD_NOT_ALLOWED).contentType(MediaType.APPLICATION_JSON_TYPE)
            .header(HttpHeaders.ALLOW, "POST, DELETE");
    }

    @Get(value = "/rooms/{room}/mcp", produces = MediaType.ALL)
    public HttpResponse<?> streamInNamedRoom(String room) {
        return stream();
    }

    @Delete(value = "/mcp", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> end(HttpRequest<?> request) {
        sessions.close(session(request, RoomAccessFilter.room(request)));
        return HttpResponse.noContent();
    }

    @Delete(value = "/rooms/{room}/mcp", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> endInNamedRoom(String room, HttpRequest<?> request) {
        return end(request);
    }

    /** The answer to a POST, on the thread the room's threading policy wants ({@link RoomThreading}). */
    private Mono<HttpResponse<?>> answer(HttpRequest<?> request, @Nullable byte[] body) {
        return threading.run(() -> answerNow(request, body));
    }

    private Mono<HttpResponse<?>> answerNow(HttpRequest<?> request, @Nullable byte[] body) {
        HostedRoom room = RoomAccessFilter.room(request);
        Object parsed;
        try {
            parsed = body == null || body.length == 0 ? null : json.readValue(body, Argument.OBJECT_ARGUMENT);
        } catch (IOException | RuntimeException e) {
            return Mono.just(invalid(null, JsonRpc.PARSE_ERROR, "Parse error: the body is not JSON"));
        }
        boolean batch = parsed instanceof List;
        List<?> messages = batch ? (List<?>) parsed : java.util.Collections.singletonList(parsed);
        if (messages.size() > maxBatch) {
            return Mono.just(invalid(null, JsonRpc.INVALID_REQUEST, "Invalid request: a batch holds at most " + maxBatch
                + " messages (agent-chat.mcp.max-batch), this one " + messages.size() + ": send fewer at a time"));
        }
        if (messages.isEmpty() || !messages.stream().allMatch(JsonRpc::isMessage)) {
            return Mono.just(invalid(null, JsonRpc.INVALID_REQUEST, messages.stream().anyMatch(JsonRpc::hasInvalidId)
                ? "Invalid request: an id is a string or an integer (from -2^63 to 2^63-1)"
                : "Invalid request: expected a JSON-RPC 2.0 message"));
        }
        boolean initialize = messages.stream().anyMatch(m -> "initialize".equals(((Map<?, ?>) m).get("method")));
        if (initialize && messages.size() > 1) {
            return Mono.just(invalid(null, JsonRpc.INVALID_REQUEST, "Invalid request: initialize must be sent alone"));
        }
        String version = request.getHeaders().get(VERSION_HEADER);
        if (!initialize && version != null && !McpProtocol.VERSIONS.contains(version.trim())) {
            // the answer to one request carries its id; a batch's refusal belongs to none of them
            Object id = batch ? null : ((Map<?, ?>) messages.get(0)).get("id");
            return Mono.just(invalid(id, JsonRpc.INVALID_REQUEST, "Unsupported " + VERSION_HEADER + " '" + version
                + "': this server speaks " + String.join(", ", McpProtocol.VERSIONS)));
        }
        McpSession session = initialize
            ? sessions.open(room, agent(request), Caller.of(request), Caller.bearer(request), addresses.of(request),
                clientName((Map<?, ?>) messages.get(0)))
            : session(request, room);
        session.activity().begin(sessions.now());
        // the call ends before its answer goes out: a client that reads the answer and at once opens
        // another session must find this one quiet (an end after the answer could come too late)
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                session.activity().end(sessions.now());
            }
        };
        if (!batch) {
            return protocol.answer((Map<?, ?>) messages.get(0), session, room)
                .<HttpResponse<?>>map(answer -> answered(answer, session))
                .defaultIfEmpty(HttpResponse.accepted())
                .doOnNext(answer -> end.run())
                .doFinally(signal -> end.run());
        }
        long[] written = {0};
        return Flux.fromIterable(messages)
            .concatMap(message -> written[0] >= answerBytes && JsonRpc.isRequest((Map<?, ?>) message)
                ? Mono.just(JsonRpc.error(((Map<?, ?>) message).get("id"), JsonRpc.NOT_RUN, "Not run: the answers before it "
                    + "in this batch hold " + answerBytes + " bytes (agent-chat.max-answer-bytes): send it again"))
                : protocol.answer((Map<?, ?>) message, session, room))
            .map(answer -> {
                byte[] bytes = encode(answer);
                written[0] += bytes.length;
                return bytes;
            })
            .collectList()
            .map(answers -> {
                end.run();
                if (answers.isEmpty()) {
                    return (HttpResponse<?>) HttpResponse.accepted();
                }
                return answered(array(answers), session);
            })
            .doFinally(signal -> end.run());
    }

    private static HttpResponse<?> answered(Object body, McpSession session) {
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE).header(SESSION_HEADER, session.id());
    }

    private byte[] encode(Map<String, Object> answer) {
        try {
            return json.writeValueAsBytes(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answers as one JSON array, as the mapper would write the list of them. */
    private static byte[] array(List<byte[]> answers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(answers.stream().mapToInt(a -> a.length + 1).sum() + 1);
        out.write('[');
        for (int i = 0; i < answers.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(answers.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }

    /** The client's name in an {@code initialize} ({@code params.clientInfo.name}), or "" when it gave none. */
    private static String clientName(Map<?, ?> initialize) {
        return initialize.get("params") instanceof Map<?, ?> params && params.get("clientInfo") instanceof Map<?, ?> info
            && info.get("name") instanceof String name ? name : "";
    }

    private McpSession session(HttpRequest<?> request, HostedRoom room) {
        String id = request.getHeaders().get(SESSION_HEADER);
        if (id == null || id.isBlank()) {
            throw ApiError.MCP_SESSION_REQUIRED.exception();
        }
        McpSession session = sessions.find(id.trim(), room);
        if (Caller.of(request).readOnly() && !session.caller().readOnly()) {
            // a request's rights are its own credential's at most, whatever the session was opened with
            throw ApiError.READ_ONLY.exception();
        }
        return session;
    }

    /** The session's name: the token's, else {@code X-Agent-Name}'s; an observer without one reads as nobody. */
    private static String agent(HttpRequest<?> request) {
        Caller caller = Caller.of(request);
        if (caller.verified()) {
            return caller.name();
        }
        String agent = HeaderText.utf8(request.getHeaders().get(AGENT_HEADER));
        if (caller.readOnly() && (agent == null || agent.isBlank())) {
            return McpSession.NOBODY;
        }
        if (agent == null || !NewMessageValidator.isValidName(agent.trim())) {
            throw ApiError.AGENT_NAME_REQUIRED.exception();
        }
        return agent.trim();
    }

    private static HttpResponse<?> invalid(@Nullable Object id, int code, String message) {
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON_TYPE)
            .body(JsonRpc.error(id, code, message));
    }
}
