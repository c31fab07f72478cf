package dev.agentchat.cli.mcp;

import dev.agentchat.coordination.CoordinationOperations;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code release_claim {claim}}: like {@code agent-chat release}, by id or by resource. */
final class ReleaseClaimTool extends RoomTool {
    ReleaseClaimTool(Seat seat) {
        super(seat, ToolCatalog.RELEASE);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        String which = arguments.claimToRelease();
        String id = which;
        if (!CoordinationOperations.isClaimId(which)) {
            id = seat.client().claimOn(which, seat.agent())
                .orElseThrow(() -> new ToolArguments.Invalid("You hold no claim on " + which + " (list_claims shows them)"));
        }
        return ToolText.released(ClaimResourceTool.view(seat.client().release(id, seat.agent())));
    }
}
