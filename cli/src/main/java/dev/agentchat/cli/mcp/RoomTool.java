package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.RoomException;
import io.micronaut.core.annotation.Nullable;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One MCP tool over the room. Failures (bad arguments, a wrong password, an unreachable room) are
 * answered as tool results flagged {@code isError} with one readable line, so the model can see
 * and fix them; they never end the MCP session.
 */
abstract class RoomTool {
    protected final Seat seat;

    RoomTool(Seat seat) {
        this.seat = seat;
    }

    /** The tool as listed by {@code tools/list}. */
    abstract Tool tool();

    /** Does the work; returns the readable text of the result. */
    abstract String call(ToolArguments arguments, Progress progress) throws InterruptedException;

    SyncToolSpecification specification() {
        return SyncToolSpecification.builder()
            .tool(tool())
            .callHandler((exchange, request) -> result(new ToolArguments(request.arguments()),
                progress(exchange, request.progressToken())))
            .build();
    }

    /** Progress notifications when the caller asked for them (they also keep hosts from timing a long call out). */
    private static Progress progress(McpSyncServerExchange exchange, @Nullable Object token) {
        if (token == null) {
            return (done, total, message) -> { };
        }
        return (done, total, message) -> exchange.progressNotification(new ProgressNotification(token, done, total, message));
    }

    private CallToolResult result(ToolArguments arguments, Progress progress) {
        try {
            return CallToolResult.builder().addTextContent(call(arguments, progress)).isError(false).build();
        } catch (ToolArguments.Invalid | RoomException e) {
            return error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("Cancelled");
        } catch (UncheckedIOException e) {
            return error(e.getMessage()); // e.g. the read cursor cannot be saved
        }
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(ToolResultText.error(message)).isError(true).build();
    }

    /** An object schema with these properties, none other allowed. */
    static JsonSchema schema(Map<String, Object> properties, List<String> required) {
        return new JsonSchema("object", properties, required, false, null, null);
    }

    /** Reports how far a long call got. */
    @FunctionalInterface
    interface Progress {
        void report(double done, double total, String message);
    }

    static Map<String, Object> mentionsOnlyProperty() {
        return Map.of("type", "boolean", "default", false,
            "description", "Only messages that mention you (@your-name) or are addressed to you.");
    }
}
