package dev.agentchat.hosting;

import dev.agentchat.auth.Caller;
import dev.agentchat.presence.RosterEntry;
import dev.agentchat.api.AgentsApi;
import dev.agentchat.api.MessagesApi;
import dev.agentchat.api.ClaimsApi;
import dev.agentchat.api.model.AckRequest;
import dev.agentchat.api.model.AckResult;
import dev.agentchat.api.model.Claim;
import dev.agentchat.api.model.ClaimList;
import dev.agentchat.api.model.ClaimRequest;
import dev.agentchat.coordination.CoordinationOperations;
import dev.agentchat.api.RoomApi;
import dev.agentchat.api.model.RoomInfo;
import dev.agentchat.api.model.AgentKind;
import dev.agentchat.api.model.Brake;
import dev.agentchat.api.model.BrakeRelease;
import dev.agentchat.api.model.RoomTopic;
import dev.agentchat.api.model.Agent;
import dev.agentchat.api.model.AgentList;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.ReadCursor;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.QueryParameters;
import dev.agentchat.messages.MessageOperations;
import dev.agentchat.messages.ParkedPolls;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.messages.Timestamps;
import dev.agentchat.messages.MessageQuery;
import dev.agentchat.messages.Transcript;
import dev.agentchat.messages.UnreadMessages;
import dev.agentchat.sse.EventStreamRoute;
import dev.agentchat.sse.SseFrame;
import dev.agentchat.sse.SseStream;
import dev.agentchat.stream.EventStream;
import dev.agentchat.stream.RoomEvents;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.server.types.files.FileCustomizableResponseType;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.agentchat.api.model.JoinRequest;
import dev.agentchat.api.model.Joined;
import dev.agentchat.api.model.Moderation;
import dev.agentchat.api.model.Session;
import dev.agentchat.api.model.SessionRole;
import dev.agentchat.names.Names;
import dev.agentchat.room.Draft;
import dev.agentchat.room.RoomTopics;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.time.ZoneOffset;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@code messages}, {@code agents} and {@code room} operations of the API document, on any room: one
 * subclass serves the server's own room at the root, the other every named room under
 * {@code /rooms/{room}}. The room was opened by {@link RoomAccessFilter}, on the thread its
 * threading policy chose.
 */
public abstract class RoomController implements MessagesApi, AgentsApi, RoomApi, ClaimsApi {
    private static final String MENTIONS_ONLY = "mentions_only";
    private final MessageOperations operations;
    private final UnreadMessages unread;
    private final CoordinationOperations coordination;
    private final JsonMapper json;
    private final NameRules rules;
    private final RoomThreading threading;
    private final RoomRegistry registry;
    private final ParkedPolls parkedPolls;

    protected RoomController(MessageOperations operations, UnreadMessages unread, CoordinationOperations coordination,
                             JsonMapper json, NameRules rules, RoomThreading threading, RoomRegistry registry,
                             ParkedPolls parkedPolls) {
        this.parkedPolls = parkedPolls;
        this.threading = threading;
        this.registry = registry;
        this.operations = operations;
        this.unread = unread;
        this.coordination = coordination;
        this.json = json;
        this.rules = rules;
    }

    @Override
    public Mono<SendResult> sendMessage(NewMessage newMessage) {
        return inRoom((hosted, caller) -> operations.send(hosted.room(), hosted.presence(), caller, newMessage,
            draft -> {
                rules.admitPost(hosted, caller, draft);
                coordination.admit(hosted.coordination(), caller, draft);
            }));
    }

    @Override
    public Mono<MessageList> listMessages(@Nullable Long after, @Nullable Long before, @Nullable Integer limit,
                                          @Nullable String q, @Nullable String agent) {
        return inRoom(hosted -> operations.list(hosted.room(), after, before, limit, q, agent)
            .map(list -> list.messages(coordination.withAcks(hosted.coordination(), list.getMessages()))));
    }

    @Override
    public Mono<FileCustomizableResponseType> exportMessages(@Nullable String format, @Nullable Long after,
                                                             @Nullable Long maxBytes) {
        Transcript.Format chosen = Transcript.Format.of(format);
        Transcript.Part part = MessageQuery.transcriptPart(after, maxBytes);
        return inRoom(hosted -> Mono.just(new StreamedFile(
                new Transcript(hosted.room(), json, chosen, part, RoomName.title(hosted.name()), hosted.room().topic(),
                    Instant.now(), hosted.coordination()::acks),
                chosen.mediaType())
            .attach(chosen.fileName(hosted.name()))));
    }

    @Override
    public Mono<PollResult> pollMessages(@Nullable Long after, @Nullable Double wait, @Nullable Integer limit,
                                         @Nullable String agent, @Nullable String forName) {
        HttpRequest<?> request = ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
        return inRoom((hosted, caller) -> {
            String listener = rules.listener(hosted, caller, agent);
            return parkedPolls.answer(request, rules.untilKicked(hosted, listener,
                operations.poll(hosted.room(), hosted.presence(), hosted.cursors(), after, wait, limit, listener,
                        caller.verified(), forName)
                    .map(result -> result.messages(coordination.withAcks(hosted.coordination(), result.getMessages())))));
        });
    }

    @Override
    @EventStreamRoute
    public Flux<SseFrame> streamMessages(@Nullable String lastEventID, @Nullable Long after, @Nullable String agent,
                                         @Nullable String forName, @Nullable String events) {
        // answered where it is: a GET has no body to bring it back to an event loop, and the frames must
        // be known before the answer starts (SseStream)
        HttpRequest<?> request = ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
        HostedRoom hosted = RoomAccessFilter.room(request);
        Caller caller = Caller.of(request);
        String listener = rules.listener(hosted, caller, agent);
        return SseStream.answer(request,
            operations.stream(hosted.room(), hosted.presence(), hosted.cursors(), lastEventID, after, listener,
                caller.verified(), forName,
                events, new RoomEvents(hosted.coordination().events().map(e -> SseFrame.event(e.name(), e.json())),
                    rules.names().moderations(RoomRegistry.key(hosted))
                        .map(moderated -> SseFrame.event(EventStream.MODERATION, write(toApi(moderated)))),
                    rules.removal(hosted, listener), rules.handedOver(hosted, caller, listener)),
                hosted.coordination()::acks));
    }

    @Override
    public Mono<AckResult> ackMessage(Long id, AckRequest ackRequest) {
        return inRoom((hosted, caller) -> Mono.just(coordination.ack(hosted.room(), hosted.coordination(), id,
            rules.actingAs(hosted, caller, ackRequest == null ? null : ackRequest.getAgent()))));
    }

    @Override
    public Mono<Claim> takeClaim(ClaimRequest request) {
        if (request == null) {
            throw ApiError.INVALID_JSON.exception();
        }
        return inRoom((hosted, caller) -> Mono.just(coordination.take(hosted.coordination(),
            rules.actingAs(hosted, caller, request.getAgent()), request.getResource(), request.getTtlSeconds(), request.getNote())));
    }

    @Override
    public Mono<ClaimList> listClaims() {
        return inRoom(hosted -> Mono.just(coordination.list(hosted.coordination())));
    }

    @Override
    public Mono<Claim> releaseClaim(String id, @Nullable String agent) {
        return inRoom((hosted, caller) -> {
            if (agent == null && !caller.verified()) {
                throw ApiError.INVALID_PARAMETER.exception("Missing required parameter 'agent': say who releases the claim"
                    + " (its holder), or send the name's token (Authorization: Bearer)");
            }
            return Mono.just(coordination.release(hosted.coordination(), id, rules.actingAs(hosted, caller, agent)));
        });
    }

    @Override
    public Mono<AgentList> listAgents() {
        return inRoom(hosted -> Mono.fromCallable(() -> agentList(hosted)));
    }

    @Override
    public Mono<Joined> claimName(JoinRequest joinRequest) {
        if (joinRequest == null) {
            throw ApiError.INVALID_JSON.exception();
        }
        String name = agentName(joinRequest.getAgent());
        String kind = joinRequest.getKind() == null ? Draft.AGENT : joinRequest.getKind().getValue();
        String token = ServerRequestContext.currentRequest().map(Caller::bearer).orElse(null);
        return inRoom((hosted, caller) -> Mono.fromCallable(() -> {
            if (caller.readOnly()) {
                throw ApiError.READ_ONLY.exception();
            }
            if (caller.verified()) {
                if (!caller.name().equalsIgnoreCase(name)) {
                    throw ApiError.INVALID_FIELD.exception("This token holds the name '" + caller.name() + "'");
                }
                return new Joined(caller.name(), AgentKind.fromValue(caller.kind()), token, registry.id(hosted));
            }
            Names.Joined joined = rules.names().join(RoomRegistry.key(hosted), name, kind);
            return new Joined(joined.name(), AgentKind.fromValue(joined.kind()), joined.token(), registry.id(hosted));
        }));
    }

    @Override
    public Mono<HttpResponse<Void>> leaveName() {
        HttpRequest<?> request = ServerRequestContext.currentRequest().orElseThrow();
        return inRoom((hosted, caller) -> Mono.<HttpResponse<Void>>fromCallable(() -> {
            String token = Caller.bearer(request);
            if (!caller.verified() || token == null) {
                throw ApiError.TOKEN_REQUIRED.exception();
            }
            Names names = rules.names();
            names.leave(RoomRegistry.key(hosted), names.holder(RoomRegistry.key(hosted), token));
            coordination.releaseAll(hosted.coordination(), caller.name());
            return HttpResponse.<Void>noContent();
        }));
    }

    @Override
    public Mono<Session> openSession() {
        HttpRequest<?> request = ServerRequestContext.currentRequest().orElseThrow();
        return inRoom((hosted, caller) -> Mono.fromCallable(() -> {
            String token = caller.verified() ? Caller.bearer(request) : null;
            if (caller.verified() && token == null) {
                // a session cannot open another session: it already is one
                throw ApiError.TOKEN_REQUIRED.exception();
            }
            String id = rules.names().openSession(RoomRegistry.key(hosted), caller, token);
            RoomAccessFilter.setCookie(request, Cookie.of(RoomAccessFilter.sessionCookie(hosted.name()), id)
                .path(RoomAccessFilter.basePath(hosted.name())).httpOnly(true).sameSite(SameSite.Strict)
                .secure(secure(request)));
            Session session = new Session(SessionRole.fromValue(caller.role().name().toLowerCase(Locale.ROOT)));
            if (caller.verified()) {
                session.agent(caller.name()).kind(AgentKind.fromValue(caller.kind()));
            }
            return session;
        }));
    }

    @Override
    public Mono<HttpResponse<Void>> closeSession() {
        HttpRequest<?> request = ServerRequestContext.currentRequest().orElseThrow();
        return inRoom(hosted -> Mono.<HttpResponse<Void>>fromCallable(() -> {
            String cookie = RoomAccessFilter.sessionCookie(hosted.name());
            request.getCookies().findCookie(cookie)
                .ifPresent(found -> rules.names().closeSession(RoomRegistry.key(hosted), found.getValue()));
            RoomAccessFilter.setCookie(request, Cookie.of(cookie, "").path(RoomAccessFilter.basePath(hosted.name()))
                .httpOnly(true).sameSite(SameSite.Strict).maxAge(0));
            return HttpResponse.<Void>noContent();
        }));
    }

    @Override
    public Mono<Moderation> kickAgent(String agent) {
        String name = agentName(agent);
        return asHost(hosted -> {
            Names.Moderated kicked = rules.names().kick(RoomRegistry.key(hosted), name);
            coordination.releaseAll(hosted.coordination(), name); // the name is not theirs any more, nor its work
            return toApi(kicked);
        });
    }

    @Override
    public Mono<Moderation> muteAgent(String agent) {
        String name = agentName(agent);
        return asHost(hosted -> toApi(rules.names().mute(RoomRegistry.key(hosted), name, true)));
    }

    @Override
    public Mono<Moderation> unmuteAgent(String agent) {
        String name = agentName(agent);
        return asHost(hosted -> toApi(rules.names().mute(RoomRegistry.key(hosted), name, false)));
    }

    private Mono<Moderation> asHost(Function<HostedRoom, Moderation> operation) {
        return inRoom((hosted, caller) -> {
            if (!caller.isHost()) {
                throw ApiError.HOST_ONLY.exception();
            }
            return Mono.fromCallable(() -> operation.apply(hosted));
        });
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the host did to a name, as the API shows it (the answer to the host, and a {@code moderation} event). */
    private static Moderation toApi(Names.Moderated moderated) {
        Moderation moderation = new Moderation(moderated.name(), moderated.muted());
        if (moderated.blockedUntil() > 0) {
            moderation.setBlockedUntil(Timestamps.utc(moderated.blockedUntil()));
        }
        return moderation;
    }

    /** Whether the browser reached us over HTTPS (directly or through a tunnel): the cookie is then Secure. */
    private static boolean secure(HttpRequest<?> request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
    }

    @Override
    public Mono<ReadCursor> getReadCursor(String agent, @Nullable Boolean mentionsOnly) {
        String name = agentName(agent);
        boolean mentions = mentionsOnly();
        return inRoom(hosted -> Mono.just(new ReadCursor(unread.cursor(hosted.room(), hosted.cursors(), name, mentions))));
    }

    /**
     * The request's {@code mentions_only}, read from the query itself: the framework takes any word but
     * {@code true} for false, where a mistyped flag should be told.
     */
    private static boolean mentionsOnly() {
        String given = ServerRequestContext.currentRequest().map(r -> r.getParameters().get(MENTIONS_ONLY)).orElse(null);
        if (given == null || given.equalsIgnoreCase("false")) {
            return false;
        }
        if (given.equalsIgnoreCase("true")) {
            return true;
        }
        throw QueryParameters.invalid(MENTIONS_ONLY);
    }

    @Override
    public Mono<ReadCursor> setReadCursor(String agent, ReadCursor readCursor, @Nullable Boolean mentionsOnly) {
        String name = agentName(agent);
        boolean mentions = mentionsOnly();
        if (readCursor == null || readCursor.getAfter() == null) {
            throw ApiError.INVALID_FIELD.exception("Invalid field 'after': a message id from 0");
        }
        return inRoom((hosted, caller) -> {
            rules.actingAs(hosted, caller, name); // only its holder moves a held name's cursor
            unread.setCursor(hosted.room(), hosted.cursors(), name, mentions, readCursor.getAfter());
            return Mono.just(new ReadCursor(readCursor.getAfter()));
        });
    }

    @Override
    public Mono<RoomInfo> getRoom() {
        return inRoom(hosted -> Mono.just(roomInfo(hosted)));
    }

    @Override
    public Mono<Brake> releaseBrake(@Nullable BrakeRelease release) {
        // who releases it is told by the credentials, not by the body (kept for clients that send one)
        return inRoom((hosted, caller) -> {
            rules.admitBrakeRelease(hosted, caller);
            return Mono.just(coordination.releaseBrake(hosted.coordination(), caller));
        });
    }

    @Override
    public Mono<RoomInfo> setRoomTopic(RoomTopic roomTopic) {
        if (roomTopic == null || roomTopic.getTopic() == null) {
            throw ApiError.INVALID_FIELD.exception("Invalid field 'topic': a text of at most " + RoomTopics.MAX_LENGTH
                + " characters, empty to clear the topic");
        }
        String topic = RoomTopics.check(roomTopic.getTopic());
        return inRoom((hosted, caller) -> {
            if (!caller.isHost()) {
                throw ApiError.HOST_ONLY.exception();
            }
            hosted.room().topic(topic);
            return Mono.just(roomInfo(hosted));
        });
    }

    @Override
    public Mono<HttpResponse<Void>> endRoom() {
        return inRoom((hosted, caller) -> {
            if (!caller.isHost()) {
                throw ApiError.HOST_ONLY.exception();
            }
            return Mono.fromCallable(() -> {
                registry.end(hosted);
                return HttpResponse.<Void>noContent();
            });
        });
    }

    private RoomInfo roomInfo(HostedRoom hosted) {
        return new RoomInfo(hosted.name(), registry.id(hosted))
            .topic(hosted.room().topic())
            .brake(coordination.brake(hosted.coordination()));
    }

    private static String agentName(String agent) {
        if (!NewMessageValidator.isValidName(agent)) {
            throw ApiError.INVALID_AGENT.exception();
        }
        return agent;
    }

    private <T> Mono<T> inRoom(Function<HostedRoom, Mono<T>> operation) {
        return inRoom((hosted, caller) -> operation.apply(hosted));
    }

    /** The operation on the room the request opened, as its caller, on the thread the threading policy wants. */
    private <T> Mono<T> inRoom(BiFunction<HostedRoom, Caller, Mono<T>> operation) {
        HttpRequest<?> request = ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
        HostedRoom room = RoomAccessFilter.room(request);
        Caller caller = Caller.of(request);
        return threading.run(() -> operation.apply(room, caller));
    }

    private AgentList agentList(HostedRoom hosted) {
        return new AgentList(rules.roster(hosted).stream().map(RoomController::toApi).toList());
    }

    /** One agent of the roster as the API lists it. */
    private static Agent toApi(RosterEntry entry) {
        Agent agent = new Agent(entry.name(), entry.online(), entry.connections());
        if (entry.lastSeen() != null) {
            agent.setLastSeen(entry.lastSeen().atOffset(ZoneOffset.UTC));
        }
        if (entry.readUpTo() != null) {
            agent.setReadUpTo(entry.readUpTo());
        }
        agent.setWaiting(entry.waiting());
        agent.setVerified(entry.held());
        if (entry.kind() != null) {
            agent.setKind(AgentKind.fromValue(entry.kind()));
        }
        if (entry.muted()) {
            agent.setMuted(true);
        }
        if (entry.blockedUntil() != null) {
            agent.setBlockedUntil(entry.blockedUntil().atOffset(ZoneOffset.UTC));
        }
        return agent;
    }
}
