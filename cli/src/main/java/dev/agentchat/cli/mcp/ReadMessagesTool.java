package dev.agentchat.cli.mcp;

import io.modelcontextprotocol.spec.McpSchema.Tool;

import java.util.List;
import java.util.Map;

/** {@code read_messages {mentions_only?, last?}}: what this agent has not read yet, like {@code agent-chat read}. */
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
                + "history; 'last' keeps only the newest N) and mark them read. Returns at once, possibly with "
                + "nothing new. Each message starts a line [timestamp] #id agent ↩#answered-id → addressees: text; "
                + "your own are marked (you); further lines of a multi-line text start with '  | '.")
            .inputSchema(schema(Map.of("mentions_only", mentionsOnlyProperty(),
                "last", Map.of("type", "integer", "minimum", 0,
                    "description", "Only the newest this many of them (0: none, just mark everything read).")),
                List.of()))
            .build();
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        boolean mentionsOnly = arguments.flag("mentions_only");
        Double last = arguments.number("last");
        if (last != null && (last < 0 || last != Math.rint(last) || last > Integer.MAX_VALUE)) {
            throw new ToolArguments.Invalid("'last' must be a whole number from 0");
        }
        return ToolResultText.messages(seat.inbox(mentionsOnly).read(false, last == null ? null : last.intValue()),
            seat.agent(), mentionsOnly);
    }
}
