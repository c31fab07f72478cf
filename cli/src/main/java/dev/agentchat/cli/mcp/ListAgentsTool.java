package dev.agentchat.cli.mcp;

import dev.agentchat.client.model.Agent;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;
import dev.agentchat.names.Names;
import dev.agentchat.presence.AgentView;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code list_agents {}}: who is in the room, like {@code agent-chat who}; a kicked name as removed until when. */
final class ListAgentsTool extends RoomTool {
    ListAgentsTool(Seat seat) {
        super(seat, ToolCatalog.AGENTS);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        List<Agent> agents = seat.client().agents();
        Map<String, Instant> blocked = new HashMap<>();
        for (Agent agent : agents) {
            if (agent.getBlockedUntil() != null) {
                blocked.put(Names.key(agent.getName()), agent.getBlockedUntil().toInstant());
            }
        }
        return ToolText.agents(agents.stream().map(ListAgentsTool::view).toList(), seat.agent(), blocked);
    }

    private static AgentView view(Agent agent) {
        return new AgentView(agent.getName(), Boolean.TRUE.equals(agent.getOnline()),
            agent.getLastSeen() == null ? null : agent.getLastSeen().toInstant(),
            agent.getConnections() == null ? 0 : agent.getConnections());
    }
}
