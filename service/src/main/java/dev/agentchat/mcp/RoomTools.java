package dev.agentchat.mcp;

import dev.agentchat.auth.Caller;
import dev.agentchat.api.model.Message;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.error.ApiException;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.hosting.RoomName;
import dev.agentchat.messages.MessageMapper;
import dev.agentchat.messages.MessageOperations;
import dev.agentchat.messages.MessageQuery;
import dev.agentchat.messages.Transcript;
import dev.agentchat.room.HistoryQuery;
import dev.agentchat.messages.MessageView;
import dev.agentchat.messages.SendCheck;
import dev.agentchat.messages.UnreadMessages;
import dev.agentchat.presence.AgentView;
import dev.agentchat.room.ChatMessage;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    public RoomTools(MessageOperations operations, UnreadMessages unread, McpSettings settings, MessageMapper mapper,
                     JsonMapper json) {
        this.operations = operations;
        this.mapper = mapper;
        this.json = json;
        this.unread = unread;
        this.settings = settings;
    }

    /** A tool's result: its text, and whether it reports a failure. */
    record Result(String text, boolean error) {
    }

    /** The tools as {@code tools/list} lists them, for this agent. */
    List<Map<String, Object>> list(String agent) {
        return ToolCatalog.tools(agent, settings.maxWait().toSeconds()).stream().map(ToolCatalog.Definition::listed).toList();
    }

    boolean exists(String name) {
        return ToolCatalog.NAMES.contains(name);
    }

    /**
     * Runs the tool; failures a model can fix are results flagged as errors. An agent calling tools is
     * online for a while, as after a poll.
     */
    Mono<Result> call(String name, ToolArguments arguments, HostedRoom room, String agent) {
        room.presence().polled(agent).close();
        return Mono.defer(() -> switch (name) {
                case ToolCatalog.SEND -> send(arguments.send(), room, agent);
                case ToolCatalog.READ -> Mono.just(read(arguments.read(), room, agent));
                case ToolCatalog.WAIT -> await(arguments.await(settings.maxWait().toSeconds()), room, agent);
                case ToolCatalog.SEARCH -> Mono.just(search(arguments.search(), room, agent));
                case ToolCatalog.EXPORT -> Mono.just(new Result(export(arguments.exportFormat(), room), false));
                default -> Mono.just(new Result(ToolText.agents(room.presence().everyone(), agent), false));
            })
            .onErrorResume(ToolArguments.Invalid.class, e -> Mono.just(error(e.getMessage())))
            .onErrorResume(ApiException.class, e -> Mono.just(error(e.getMessage())));
    }

    private Mono<Result> send(ToolArguments.Send send, HostedRoom room, String agent) {
        SendCheck.Verdict verdict = SendCheck.check(agent, send.to(), send.replyTo(),
            id -> firstIdFrom(room, id),
            () -> room.presence().everyone().stream().map(AgentView::name).toList());
        if (verdict.refusal() != null) {
            throw new ToolArguments.Invalid(verdict.refusal());
        }
        NewMessage message = new NewMessage(send.text());
        message.setAgent(agent);
        if (!send.to().isEmpty()) {
            message.setTo(send.to());
        }
        message.setReplyTo(send.replyTo());
        return operations.send(room.room(), room.presence(), Caller.MEMBER, message)
            .map(sent -> new Result(ToolText.sent(MessageView.of(sent.getMessage()), verdict.warnings()), false));
    }

    private Result read(ToolArguments.Read read, HostedRoom room, String agent) {
        List<Message> messages = unread.read(room.room(), room.cursors(), agent, read.mentionsOnly(), read.last());
        return new Result(ToolText.messages(views(messages), agent, read.mentionsOnly()), false);
    }

    private Mono<Result> await(ToolArguments.Wait wait, HostedRoom room, String agent) {
        return unread.await(room.room(), room.presence(), room.cursors(), agent, wait.mentionsOnly(),
                Duration.ofMillis(Math.round(wait.seconds() * 1000)))
            .map(messages -> new Result(messages.isEmpty()
                ? ToolText.waitedInVain(agent, wait.mentionsOnly(), wait.seconds())
                : ToolText.messages(views(messages), agent, wait.mentionsOnly()), false));
    }

    private Result search(ToolArguments.Search search, HostedRoom room, String agent) {
        HistoryQuery query = MessageQuery.history(null, search.before() == null ? Long.MAX_VALUE : search.before(),
            search.limit(), search.query(), search.from());
        List<MessageView> found = mapper.toApi(room.room().find(query)).stream().map(MessageView::of).toList();
        return new Result(ToolText.found(found, search.query(), search.from(), agent), false);
    }

    private String export(String format, HostedRoom room) {
        try (Transcript transcript = new Transcript(room.room(), json, Transcript.Format.of(format),
            RoomName.title(room.name()), room.room().topic(), Instant.now())) {
            return new String(transcript.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OptionalLong firstIdFrom(HostedRoom room, long id) {
        List<ChatMessage> first = room.room().after(id - 1, 1);
        return first.isEmpty() ? OptionalLong.empty() : OptionalLong.of(first.get(0).id());
    }

    private static List<MessageView> views(List<Message> messages) {
        return messages.stream().map(MessageView::of).toList();
    }

    private static Result error(String message) {
        return new Result(ToolText.error(message), true);
    }
}
