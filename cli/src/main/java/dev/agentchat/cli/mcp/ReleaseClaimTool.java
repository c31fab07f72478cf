package dev.agentchat.cli.mcp;

import dev.agentchat.client.model.Claim;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

import java.util.Comparator;

/** {@code release_claim {claim}}: like {@code agent-chat release}, by id or by resource. */
final class ReleaseClaimTool extends RoomTool {
    ReleaseClaimTool(Seat seat) {
        super(seat, ToolCatalog.RELEASE);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        String which = arguments.claimToRelease();
        String id = which;
        if (!which.startsWith("c-")) {
            // yours, else another's, which the room refuses saying whose it is
            id = seat.client().claims().stream().filter(c -> c.getResource().equals(which))
                .min(Comparator.comparing((Claim c) -> !seat.agent().equalsIgnoreCase(c.getAgent())))
                .map(Claim::getId)
                .orElseThrow(() -> new ToolArguments.Invalid("You hold no claim on " + which + " (list_claims shows them)"));
        }
        return ToolText.released(ClaimResourceTool.view(seat.client().release(id, seat.agent())));
    }
}
