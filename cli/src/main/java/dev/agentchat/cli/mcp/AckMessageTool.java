package dev.agentchat.cli.mcp;

import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code ack_message {id}}: acknowledges a message, like {@code agent-chat ack}. */
final class AckMessageTool extends RoomTool {
    AckMessageTool(Seat seat) {
        super(seat, ToolCatalog.ACK);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        long id = arguments.messageId();
        return ToolText.acked(id, seat.client().ack(id, seat.agent()));
    }
}
