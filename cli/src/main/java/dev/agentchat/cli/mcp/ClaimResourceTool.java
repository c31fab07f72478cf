package dev.agentchat.cli.mcp;

import dev.agentchat.client.model.Claim;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code claim_resource {resource, ttl_seconds?, note?}}: like {@code agent-chat claim}. */
final class ClaimResourceTool extends RoomTool {
    ClaimResourceTool(Seat seat) {
        super(seat, ToolCatalog.CLAIM);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        ToolArguments.Claim claim = arguments.claim();
        return ToolText.claimed(view(seat.client().claim(seat.agent(), claim.resource(), claim.ttlSeconds(), claim.note())));
    }

    static ToolText.ClaimView view(Claim claim) {
        return new ToolText.ClaimView(claim.getId(), claim.getAgent(), claim.getResource(), claim.getNote(), claim.getExpiresAt());
    }
}
