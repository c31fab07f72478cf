package dev.agentchat.cli.mcp;

import io.modelcontextprotocol.spec.McpSchema.Tool;

import java.util.List;
import java.util.Map;

/** {@code read_messages {mentions_only?}}: what this agent has not read yet, like {@code agent-chat read}. */
final class ReadMessagesTool extends RoomTool {
    ReadMessagesTool(Seat seat) {
        super(seat);
    }

    @Override
    Tool tool() {
        return Tool.builder()
            .name("read_messages")
            .title("Read new messages")
            .description("Return the messages you have not read yet (the first time: the room's whole retained "
                + "history) and mark them read. Returns at once, possibly with nothing new. Each line is "
                + "[timestamp] #id agent ↩#answered-id → addressees: text.")
            .inputSchema(schema(Map.of("mentions_only", mentionsOnlyProperty()), List.of()))
            .build();
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        boolean mentionsOnly = arguments.flag("mentions_only");
        return MessageText.messages(seat.inbox(mentionsOnly).read(false), seat.nothingNew(mentionsOnly));
    }
}
