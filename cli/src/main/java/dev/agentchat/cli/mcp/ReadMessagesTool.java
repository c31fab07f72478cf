package dev.agentchat.cli.mcp;

import dev.agentchat.cli.output.MessagePrinter;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code read_messages {mentions_only?, last?}}: what this agent has not read yet, like {@code agent-chat read}. */
final class ReadMessagesTool extends RoomTool {
    ReadMessagesTool(Seat seat) {
        super(seat, ToolCatalog.READ);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        ToolArguments.Read read = arguments.read();
        return ToolText.messages(seat.inbox(read.mentionsOnly()).read(false, read.last()).stream()
            .map(MessagePrinter::view).toList(), seat.agent(), read.mentionsOnly());
    }
}
