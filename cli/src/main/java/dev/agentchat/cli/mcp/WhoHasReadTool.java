package dev.agentchat.cli.mcp;

import dev.agentchat.error.ApiError;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code who_has_read {id}}: like {@code agent-chat seen}. */
final class WhoHasReadTool extends RoomTool {
    WhoHasReadTool(Seat seat) {
        super(seat, ToolCatalog.SEEN);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        long id = arguments.messageId();
        return ToolText.seen(seat.client().readers(id)
            .orElseThrow(() -> new ToolArguments.Invalid(ApiError.noSuchMessage(id))));
    }
}
