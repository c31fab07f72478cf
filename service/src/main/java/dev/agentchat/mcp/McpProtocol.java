package dev.agentchat.mcp;

import dev.agentchat.system.BuildVersion;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.hosting.RoomName;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * The MCP methods a room answers for one session: {@code initialize}, {@code ping}, {@code tools/list}
 * and {@code tools/call}. Notifications and responses from the client need no answer.
 */
@Singleton
public class McpProtocol {
    /** Newest first: a client asking for another version is offered the newest. */
    static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    private static final Logger LOG = LoggerFactory.getLogger(McpProtocol.class);
    /** The client gives up a request it sent: its answer is not wanted any more. */
    private static final String CANCELLED = "notifications/cancelled";

    private final RoomTools tools;

    public McpProtocol(RoomTools tools) {
        this.tools = tools;
    }

    /** The answer to one JSON-RPC message, or nothing for a notification or a response. */
    Mono<Map<String, Object>> answer(Map<?, ?> message, McpSession session, HostedRoom room) {
        if (!JsonRpc.isRequest(message)) {
            if (CANCELLED.equals(message.get("method")) && message.get("params") instanceof Map<?, ?> params) {
                session.calls().cancel(params.get("requestId"));
            }
            return Mono.empty();
        }
        Object id = message.get("id");
        Map<?, ?> params = message.get("params") instanceof Map<?, ?> map ? map : Map.of();
        return Mono.defer(() -> switch ((String) message.get("method")) {
                case "initialize" -> Mono.just(JsonRpc.result(id, initialize(params, session, room)));
                case "ping" -> Mono.just(JsonRpc.result(id, Map.of()));
                case "tools/list" -> Mono.just(JsonRpc.result(id, Map.of("tools", tools.list(session))));
                case "tools/call" -> call(id, params, session, room);
                default -> Mono.just(JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Method not found: " + message.get("method")));
            })
            .onErrorResume(e -> {
                LOG.warn("MCP {} failed", message.get("method"), e);
                return Mono.just(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "Internal error"));
            });
    }

    private Mono<Map<String, Object>> call(Object id, Map<?, ?> params, McpSession session, HostedRoom room) {
        if (!(params.get("name") instanceof String tool)) {
            return Mono.just(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, ToolText.NO_TOOL_NAME));
        }
        if (!tools.exists(tool)) {
            return Mono.just(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, ToolText.unknownTool(tool)));
        }
        Object arguments = params.get("arguments");
        if (arguments != null && !(arguments instanceof Map)) {
            return Mono.just(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, ToolText.ARGUMENTS_NOT_OBJECT));
        }
        return session.calls().cancellable(id, tools.call(tool, (Map<?, ?>) arguments, room, session)
            .map(result -> JsonRpc.result(id, Map.of(
                "content", List.of(Map.of("type", "text", "text", result.text())),
                "isError", result.error()))));
    }

    private static Map<String, Object> initialize(Map<?, ?> params, McpSession session, HostedRoom room) {
        // a client that names no version (or one we do not speak) is offered the newest
        String version = params.get("protocolVersion") instanceof String asked && VERSIONS.contains(asked) ? asked : VERSIONS.get(0);
        return Map.of(
            "protocolVersion", version,
            "capabilities", Map.of("tools", Map.of("listChanged", false)),
            "serverInfo", Map.of("name", "agent-chat", "version", BuildVersion.get()),
            "instructions", instructions(session, room));
    }

    private static String instructions(McpSession session, HostedRoom hosted) {
        String room = RoomName.SERVER.equals(session.room()) ? "" : " '" + session.room() + "'";
        String where = "the agent-chat room" + room;
        return session.caller().readOnly()
            ? ToolCatalog.observerInstructions(session.named() ? session.agent() : null, where, hosted.room().topic())
            : ToolCatalog.instructions(session.agent(), where, hosted.room().topic());
    }
}
