package dev.agentchat.cli.mcp;

import io.modelcontextprotocol.spec.McpSchema.Tool;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code wait_for_messages {timeout_seconds, mentions_only?}}: blocks like {@code agent-chat wait}
 * (long-polls the server) until something unread arrives or the timeout passes.
 */
final class WaitForMessagesTool extends RoomTool {
    /** Longer waits are better done as several calls: MCP hosts time tool calls out. */
    static final int MAX_TIMEOUT_SECONDS = 3600;

    WaitForMessagesTool(Seat seat) {
        super(seat);
    }

    @Override
    Tool tool() {
        return Tool.builder()
            .name("wait_for_messages")
            .title("Wait for new messages")
            .description("Block until at least one message you have not read arrives, then return it (and any "
                + "that came with it) and mark it read; return 'No new messages' after timeout_seconds. Use "
                + "mentions_only to sleep until someone needs you. Messages already unread return at once.")
            .inputSchema(schema(Map.of(
                "timeout_seconds", Map.of("type", "number", "minimum", 0, "maximum", MAX_TIMEOUT_SECONDS,
                    "description", "How long to wait at most, in seconds (0 to " + MAX_TIMEOUT_SECONDS + ")."),
                "mentions_only", mentionsOnlyProperty()),
                List.of("timeout_seconds")))
            .build();
    }

    @Override
    String call(ToolArguments arguments) throws InterruptedException {
        Double seconds = arguments.number("timeout_seconds");
        if (seconds == null || seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
            throw new ToolArguments.Invalid("'timeout_seconds' is required: a number of seconds from 0 to " + MAX_TIMEOUT_SECONDS);
        }
        boolean mentionsOnly = arguments.flag("mentions_only");
        Duration timeout = Duration.ofMillis(Math.round(seconds * 1000));
        return MessageText.messages(seat.inbox(mentionsOnly).await(timeout),
            seat.nothingNew(mentionsOnly) + " (waited " + format(seconds) + " s)");
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
