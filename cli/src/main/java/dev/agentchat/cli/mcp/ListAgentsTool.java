package dev.agentchat.cli.mcp;

import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code list_agents {}}: who is in the room, like {@code agent-chat who}; a kicked name as removed until when. */
final class ListAgentsTool extends RoomTool {
    ListAgentsTool(Seat seat) {
        super(seat, ToolCatalog.AGENTS);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        return ToolText.agents(seat.client().roster(), seat.agent());
    }
}
