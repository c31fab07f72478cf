package dev.agentchat.cli.mcp;

import dev.agentchat.client.model.Agent;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

import java.util.List;
import java.util.Map;

/** {@code who_has_read {id}}: like {@code agent-chat seen}. */
final class WhoHasReadTool extends RoomTool {
    WhoHasReadTool(Seat seat) {
        super(seat, ToolCatalog.SEEN);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        long id = arguments.messageId();
        List<Agent> agents = seat.client().agents();
        List<String> read = agents.stream().filter(a -> a.getReadUpTo() != null && a.getReadUpTo() >= id)
            .map(Agent::getName).toList();
        List<Map.Entry<String, Boolean>> notYet = agents.stream()
            .filter(a -> a.getReadUpTo() == null || a.getReadUpTo() < id)
            .map(a -> Map.entry(a.getName(), Boolean.TRUE.equals(a.getWaiting()))).toList();
        return ToolText.seen(id, read, notYet);
    }
}
