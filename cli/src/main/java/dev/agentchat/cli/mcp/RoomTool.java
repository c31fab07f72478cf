package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.RoomException;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;

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
    abstract String call(ToolArguments arguments) throws InterruptedException;

    SyncToolSpecification specification() {
        return SyncToolSpecification.builder()
            .tool(tool())
            .callHandler((exchange, request) -> result(new ToolArguments(request.arguments())))
            .build();
    }

    private CallToolResult result(ToolArguments arguments) {
        try {
            return CallToolResult.builder().addTextContent(call(arguments)).isError(false).build();
        } catch (ToolArguments.Invalid | RoomException e) {
            return error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("Cancelled");
        }
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent("Error: " + message).isError(true).build();
    }

    /** An object schema with these properties, none other allowed. */
    static JsonSchema schema(Map<String, Object> properties, List<String> required) {
        return new JsonSchema("object", properties, required, false, null, null);
    }

    static Map<String, Object> mentionsOnlyProperty() {
        return Map.of("type", "boolean", "default", false,
            "description", "Only messages that mention you (@your-name) or are addressed to you.");
    }
}
