package dev.agentchat.mcp;

import dev.agentchat.api.model.NewMessage;
import dev.agentchat.error.ApiException;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.messages.MessageOperations;
import dev.agentchat.messages.UnreadMessages;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The room's MCP tools, the same as {@code agent-chat mcp} offers: {@code send_message},
 * {@code read_messages}, {@code wait_for_messages} and {@code list_agents}, for the agent of a
 * session. What the agent has read is the room's {@link dev.agentchat.messages.ReadCursors}.
 * Failures (bad arguments, a limit) are results flagged {@code isError} with one readable line.
 */
@Singleton
public class RoomTools {
    static final String SEND = "send_message";
    static final String READ = "read_messages";
    static final String WAIT = "wait_for_messages";
    static final String AGENTS = "list_agents";

    private final MessageOperations operations;
    private final UnreadMessages unread;
    private final McpSettings settings;

    public RoomTools(MessageOperations operations, UnreadMessages unread, McpSettings settings) {
        this.operations = operations;
        this.unread = unread;
        this.settings = settings;
    }

    /** A tool's result: its text, and whether it reports a failure. */
    record Result(String text, boolean error) {
    }

    /** The tools as {@code tools/list} lists them, for this agent. */
    List<Map<String, Object>> list(String agent) {
        long maxWait = settings.maxWait().toSeconds();
        return List.of(
            tool(SEND, "Send a message to the chat room",
                "Post a message to the shared room as " + agent + ". Everyone in the room sees it. "
                    + "Write @name in the text to get someone's attention, or list names in 'to' to address them "
                    + "explicitly; 'reply_to' is the #id of the message you answer.",
                properties(
                    "text", Map.of("type", "string", "minLength", 1, "description", "The message text."),
                    "to", Map.of("type", "array", "items", Map.of("type", "string"),
                        "description", "Names of the agents this message is addressed to (optional)."),
                    "reply_to", Map.of("type", "integer", "minimum", 1,
                        "description", "The id of the message this one answers (optional).")),
                List.of("text")),
            tool(READ, "Read new messages",
                "Return the messages you have not read yet (the first time: the room's whole retained "
                    + "history) and mark them read. Returns at once, possibly with nothing new. Each line is "
                    + "[timestamp] #id agent ↩#answered-id → addressees: text.",
                properties("mentions_only", mentionsOnly()), List.of()),
            tool(WAIT, "Wait for new messages",
                "Block until at least one message you have not read arrives from someone else, then return it "
                    + "(and any that came with it) and mark it read; return 'No new messages' after timeout_seconds "
                    + "(at most " + maxWait + " here: call again to wait longer). Use mentions_only to sleep until "
                    + "someone needs you. Messages already unread return at once.",
                properties(
                    "timeout_seconds", Map.of("type", "number", "minimum", 0, "maximum", maxWait,
                        "description", "How long to wait at most, in seconds (0 to " + maxWait + ")."),
                    "mentions_only", mentionsOnly()),
                List.of("timeout_seconds")),
            tool(AGENTS, "List the agents in the room",
                "Everyone who has spoken or listened in the room: online or not, open connections, last seen.",
                properties(), List.of()));
    }

    boolean exists(String name) {
        return List.of(SEND, READ, WAIT, AGENTS).contains(name);
    }

    /**
     * Runs the tool; failures a model can fix are results flagged as errors. An agent calling tools is
     * online for a while, as after a poll.
     */
    Mono<Result> call(String name, ToolArguments arguments, HostedRoom room, String agent) {
        room.presence().polled(agent).close();
        return Mono.defer(() -> switch (name) {
                case SEND -> send(arguments, room, agent);
                case READ -> read(arguments, room, agent);
                case WAIT -> await(arguments, room, agent);
                default -> Mono.just(new Result(MessageText.agents(room.presence().everyone(), agent), false));
            })
            .onErrorResume(ToolArguments.Invalid.class, e -> Mono.just(error(e.getMessage())))
            .onErrorResume(ApiException.class, e -> Mono.just(error(e.getMessage())));
    }

    private Mono<Result> send(ToolArguments arguments, HostedRoom room, String agent) {
        String text = arguments.requiredText("text");
        List<String> to = arguments.names("to");
        Double replyTo = arguments.number("reply_to");
        if (replyTo != null && (replyTo < 1 || replyTo != Math.rint(replyTo))) {
            throw new ToolArguments.Invalid("'reply_to' must be the id of a message (a whole number from 1)");
        }
        NewMessage message = new NewMessage(text);
        message.setAgent(agent);
        if (!to.isEmpty()) {
            message.setTo(to);
        }
        if (replyTo != null) {
            message.setReplyTo(replyTo.longValue());
        }
        return operations.send(room.room(), room.presence(), message)
            .map(sent -> new Result("Sent: " + MessageText.line(sent.getMessage()), false));
    }

    private Mono<Result> read(ToolArguments arguments, HostedRoom room, String agent) {
        boolean mentionsOnly = arguments.flag("mentions_only");
        return Mono.just(new Result(MessageText.messages(
            unread.read(room.room(), room.cursors(), agent, mentionsOnly), nothingNew(agent, mentionsOnly)),
            false));
    }

    private Mono<Result> await(ToolArguments arguments, HostedRoom room, String agent) {
        long maxWait = settings.maxWait().toSeconds();
        Double seconds = arguments.number("timeout_seconds");
        if (seconds == null || seconds < 0 || seconds > maxWait) {
            throw new ToolArguments.Invalid("'timeout_seconds' is required: a number of seconds from 0 to " + maxWait
                + " (call again to wait longer)");
        }
        boolean mentionsOnly = arguments.flag("mentions_only");
        return unread.await(room.room(), room.presence(), room.cursors(), agent, mentionsOnly,
                Duration.ofMillis(Math.round(seconds * 1000)))
            .map(messages -> new Result(MessageText.messages(messages,
                nothingNew(agent, mentionsOnly) + " (waited " + format(seconds) + " s)"), false));
    }

    private static Result error(String message) {
        return new Result("Error: " + message, true);
    }

    private static String nothingNew(String agent, boolean mentionsOnly) {
        return mentionsOnly
            ? "No new messages that mention you (@" + agent + ") or are addressed to you."
            : "No new messages.";
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static Map<String, Object> tool(String name, String title, String description,
                                            Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", name);
        tool.put("title", title);
        tool.put("description", description);
        tool.put("inputSchema", schema);
        return tool;
    }

    private static Map<String, Object> properties(Object... nameThenSchema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            properties.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
        }
        return properties;
    }

    private static Map<String, Object> mentionsOnly() {
        return Map.of("type", "boolean", "default", false,
            "description", "Only messages that mention you (@your-name) or are addressed to you.");
    }
}
