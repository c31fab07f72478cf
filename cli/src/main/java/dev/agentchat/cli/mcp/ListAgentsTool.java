package dev.agentchat.cli.mcp;

import dev.agentchat.client.model.Agent;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;
import dev.agentchat.presence.AgentView;

/** {@code list_agents {}}: who is in the room, like {@code agent-chat who}. */
final class ListAgentsTool extends RoomTool {
    ListAgentsTool(Seat seat) {
        super(seat, ToolCatalog.AGENTS);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        return ToolText.agents(seat.client().agents().stream().map(ListAgentsTool::view).toList(), seat.agent());
    }

    private static AgentView view(Agent agent) {
        return new AgentView(agent.getName(), Boolean.TRUE.equals(agent.getOnline()),
            agent.getLastSeen() == null ? null : agent.getLastSeen().toInstant(),
            agent.getConnections() == null ? 0 : agent.getConnections());
    }
}
