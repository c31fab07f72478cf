package dev.agentchat.cli.mcp;

import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code list_claims {}}: like {@code agent-chat claims}. */
final class ListClaimsTool extends RoomTool {
    ListClaimsTool(Seat seat) {
        super(seat, ToolCatalog.CLAIMS);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        return ToolText.claims(seat.client().claims().stream().map(ClaimResourceTool::view).toList());
    }
}
