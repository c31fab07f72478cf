package dev.agentchat.mcp;

import dev.agentchat.api.model.Brake;
import dev.agentchat.api.model.Claim;
import dev.agentchat.auth.Caller;
import dev.agentchat.api.model.Message;
import dev.agentchat.coordination.CoordinationOperations;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.hosting.RoomName;
import dev.agentchat.messages.MessageMapper;
import dev.agentchat.hosting.NameRules;
import dev.agentchat.hosting.RoomRegistry;
import dev.agentchat.messages.MessageOperations;
import dev.agentchat.messages.MessageQuery;
import dev.agentchat.messages.Transcript;
import dev.agentchat.room.HistoryQuery;
import dev.agentchat.messages.MessageView;
import dev.agentchat.messages.SendCheck;
import dev.agentchat.messages.UnreadMessages;
import dev.agentchat.presence.Readers;
import dev.agentchat.presence.RosterEntry;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.coordination.Globs;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The room's MCP tools ({@link ToolCatalog}, the same as {@code agent-chat mcp} offers) for the agent
 * of a session. What the agent has read is the room's {@link dev.agentchat.messages.ReadCursors}.
 * Failures (bad arguments, a limit) are results flagged {@code isError} with one readable line.
 */
@Singleton
public class RoomTools {
    private final MessageOperations operations;
    private final MessageMapper mapper;
    private final JsonMapper json;
    private final UnreadMessages unread;
    private final McpSettings settings;
    private final CoordinationOperations coordination;

    private final NameRules rules;

    public RoomTools(MessageOperations operations, UnreadMessages unread, McpSettings settings,
                     CoordinationOperations coordination, NameRules rules, MessageMapper mapper, JsonMapper json) {
        this.rules = rules;
        this.operations = operations;
        this.mapper = mapper;
        this.json = json;
        this.unread = unread;
        this.settings = settings;
        this.coordination = coordination;
    }

    /** A tool's result: its text, and whether it reports a failure. */
    record Result(String text, boolean error) {
    }

    /** The tools as {@code tools/list} lists them, for this session (an observer's: those that only read). */
    List<Map<String, Object>> list(McpSession session) {
        return ToolCatalog.tools(session.agent(), settings.maxWait().toSeconds(), session.caller().readOnly()).stream()
            .map(ToolCatalog.Definition::listed).toList();
    }

    boolean exists(String name) {
        return ToolCatalog.NAMES.contains(name);
    }

    /**
     * Runs the tool; failures a model can fix are results flagged as errors. An agent calling tools is
     * online for a while, as after a poll.
     */
    Mono<Result> call(String name, @Nullable Map<?, ?> values, HostedRoom room, McpSession session) {
        String agent = session.agent();
        long maxWait = settings.maxWait().toSeconds();
        return Mono.defer(() -> {
                stillHeld(room, session);
                if (!ToolCatalog.offered(name, session.caller().readOnly())) {
                    throw ApiError.READ_ONLY.exception();
                }
                if (session.present()) {
                    room.presence().polled(agent, session.caller().verified()).close();
                }
                ToolArguments arguments = new ToolArguments(ToolCatalog.tool(name, agent, maxWait), values);
                return switch (name) {
                case ToolCatalog.SEND -> send(arguments.send(), room, agent, session.caller());
                case ToolCatalog.READ -> Mono.just(read(arguments.read(), room, session));
                case ToolCatalog.WAIT -> await(arguments.await(maxWait), room, session);
                case ToolCatalog.SEARCH -> Mono.just(search(arguments.search(), room, agent));
                case ToolCatalog.EXPORT -> Mono.just(new Result(export(arguments.export(), room), false));
                case ToolCatalog.ACK -> Mono.just(ack(arguments.messageId(), room, agent));
                case ToolCatalog.SEEN -> Mono.just(seen(arguments.messageId(), room));
                case ToolCatalog.CLAIM -> Mono.just(claim(arguments.claim(), room, agent));
                case ToolCatalog.RELEASE -> Mono.just(release(arguments.claimToRelease(), room, agent));
                case ToolCatalog.ROOM -> Mono.just(new Result(about(room), false));
                case ToolCatalog.CLAIMS -> Mono.just(new Result(ToolText.claims(
                    coordination.list(room.coordination()).getClaims().stream().map(RoomTools::view).toList()), false));
                default -> Mono.just(agents(room, agent));
                };
            })
            .onErrorResume(ToolArguments.Invalid.class, e -> Mono.just(error(e.getMessage())))
            .onErrorResume(ApiException.class, e -> Mono.just(error(e.error() == ApiError.KICKED
                ? ToolText.kicked(agent, e.blockedUntil() == null ? null : e.blockedUntil().toInstant())
                : ToolText.refused(e.getMessage(), e.error().code()))));
    }

    private String about(HostedRoom room) {
        Brake brake = coordination.brake(room.coordination());
        return ToolText.room(RoomName.title(room.name()), room.room().topic(), brake.getAgentTurns(), brake.getLimit(),
            brake.getEngaged());
    }

    /** A session whose name was kicked, or whose token ended, acts no more: each call says why. */
    private void stillHeld(HostedRoom room, McpSession session) {
        if (session.token() != null) {
            rules.names().holder(RoomRegistry.key(room), session.token());
        }
    }

    private Mono<Result> send(ToolArguments.Send send, HostedRoom room, String agent, Caller caller) {
        SendCheck.Verdict verdict = SendCheck.check(agent, send.to(), send.replyTo(),
            id -> firstFrom(room, id).map(first -> OptionalLong.of(first.id())).orElse(OptionalLong.empty()),
            () -> rules.roster(room).stream().map(RosterEntry::name).toList());
        if (verdict.refusal() != null) {
            throw new ToolArguments.Invalid(verdict.refusal());
        }
        NewMessage message = new NewMessage(send.text());
        message.setAgent(agent);
        if (!send.to().isEmpty()) {
            message.setTo(send.to());
        }
        message.setReplyTo(send.replyTo());
        if (send.ackRequested()) {
            message.setAckRequested(true);
        }
        return operations.send(room.room(), room.presence(), caller, message, draft -> {
                rules.admitPost(room, caller, draft);
                coordination.admit(room.coordination(), caller, draft);
            })
            .map(sent -> new Result(ToolText.sent(MessageView.of(sent.getMessage()), verdict.warnings()), false));
    }

    /** Who is in the room, as GET /agents lists it. */
    private Result agents(HostedRoom room, String agent) {
        return new Result(ToolText.agents(rules.roster(room), agent), false);
    }

    private Result read(ToolArguments.Read request, HostedRoom room, McpSession session) {
        String agent = session.agent();
        named(session, request.mentionsOnly());
        UnreadMessages.Unread read = unread.read(room.room(), session.cursors(room), agent, request.mentionsOnly(),
            request.last(), ToolCatalog.RESULT_MAX_BYTES);
        String text = ToolText.messages(views(room, read.messages()), agent, request.mentionsOnly());
        return new Result(read.more() ? text + "\n" + ToolText.MORE_UNREAD : text, false);
    }

    /** Ends with {@code kicked} at once when the agent's name is kicked meanwhile, as a long-poll does. */
    private Mono<Result> await(ToolArguments.Wait wait, HostedRoom room, McpSession session) {
        String agent = session.agent();
        named(session, wait.mentionsOnly());
        return rules.untilKicked(room, session.present() ? agent : null, unread.await(room.room(), room.presence(),
                session.cursors(room), agent, session.present(), session.caller().verified(), wait.mentionsOnly(),
                session.waits().of(wait.mentionsOnly()), Duration.ofMillis(Math.round(wait.seconds() * 1000)),
                ToolCatalog.RESULT_MAX_BYTES))
            .map(found -> new Result(found.messages().isEmpty()
                ? ToolText.waitedInVain(agent, wait.mentionsOnly(), wait.seconds())
                : ToolText.messages(views(room, found.messages()), agent, wait.mentionsOnly())
                    + (found.more() ? "\n" + ToolText.MORE_UNREAD : ""), false));
    }

    /** {@code mentions_only} needs a name to look for: an observer's session opened without one is told so. */
    private static void named(McpSession session, boolean mentionsOnly) {
        if (mentionsOnly && !session.named()) {
            throw new ToolArguments.Invalid(ToolText.MENTIONS_NEED_A_NAME);
        }
    }

    private Result search(ToolArguments.Search search, HostedRoom room, String agent) {
        HistoryQuery query = MessageQuery.history(null, search.before() == null ? Long.MAX_VALUE : search.before(),
            search.limit(), search.query(), search.from());
        List<MessageView> found = views(room, mapper.toApi(room.room().find(query)));
        return new Result(ToolText.found(found, search.query(), search.from(), agent), false);
    }

    private String export(ToolArguments.Export export, HostedRoom room) {
        try (Transcript transcript = new Transcript(room.room(), json, Transcript.Format.of(export.format()),
            new Transcript.Part(export.after(), ToolCatalog.RESULT_MAX_BYTES),
            RoomName.title(room.name()), room.room().topic(), Instant.now(), room.coordination()::acks)) {
            return new String(transcript.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result ack(long id, HostedRoom room, String agent) {
        return new Result(ToolText.acked(id, coordination.ack(room.room(), room.coordination(), id, agent).getAcks()), false);
    }

    private Result seen(long id, HostedRoom room) {
        if (id > room.room().lastId()) {
            throw new ToolArguments.Invalid(ApiError.noSuchMessage(id));
        }
        String author = firstFrom(room, id).filter(first -> first.id() == id).map(ChatMessage::agent).orElse(null);
        List<String> acks = room.coordination().acks(List.of(id)).getOrDefault(id, List.of());
        return new Result(ToolText.seen(Readers.of(id, author, acks, rules.roster(room))), false);
    }

    private Result claim(ToolArguments.Claim claim, HostedRoom room, String agent) {
        return new Result(ToolText.claimed(view(coordination.take(room.coordination(), agent, claim.resource(),
            claim.ttlSeconds(), claim.note()))), false);
    }

    private Result release(String which, HostedRoom room, String agent) {
        String id = which;
        if (!CoordinationOperations.isClaimId(which)) {
            // yours, else another's, which the room refuses saying whose it is
            id = coordination.list(room.coordination()).getClaims().stream().filter(c -> c.getResource().equals(Globs.normalized(which)))
                .min(Comparator.comparing((Claim c) -> !c.getAgent().equalsIgnoreCase(agent)))
                .map(Claim::getId)
                .orElseThrow(() -> new ToolArguments.Invalid("You hold no claim on " + which + " (list_claims shows them)"));
        }
        return new Result(ToolText.released(view(coordination.release(room.coordination(), id, agent))), false);
    }

    static ToolText.ClaimView view(Claim claim) {
        return new ToolText.ClaimView(claim.getId(), claim.getAgent(), claim.getResource(), claim.getNote(), claim.getExpiresAt());
    }

    /** Message {@code id}, or the oldest retained one after it when it was dropped; empty when the room has not reached it. */
    private static Optional<ChatMessage> firstFrom(HostedRoom room, long id) {
        List<ChatMessage> first = room.room().after(id - 1, 1);
        return first.isEmpty() ? Optional.empty() : Optional.of(first.get(0));
    }

    /** The messages as the tools show them, with who has acknowledged each so far. */
    private List<MessageView> views(HostedRoom room, List<Message> messages) {
        return coordination.withAcks(room.coordination(), messages).stream().map(MessageView::of).toList();
    }

    private static Result error(String message) {
        return new Result(ToolText.error(message), true);
    }
}
