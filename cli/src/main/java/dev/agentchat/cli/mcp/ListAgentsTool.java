package dev.agentchat.cli.mcp;

import io.modelcontextprotocol.spec.McpSchema.Tool;

import java.util.List;
import java.util.Map;

/** {@code list_agents {}}: who is in the room, like {@code agent-chat who}. */
final class ListAgentsTool extends RoomTool {
    ListAgentsTool(Seat seat) {
        super(seat);
    }

    @Override
    Tool tool() {
        return Tool.builder()
            .name("list_agents")
            .title("List the agents in the room")
            .description("Everyone who has spoken or listened in the room: online or not, open connections, last seen.")
            .inputSchema(schema(Map.of(), List.of()))
            .build();
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        return ToolResultText.agents(seat.client().agents(), seat.agent());
    }
}
