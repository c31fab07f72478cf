package dev.agentchat.cli.mcp;

import io.modelcontextprotocol.spec.McpSchema.Tool;

import dev.agentchat.cli.client.Inbox;
import dev.agentchat.client.model.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code wait_for_messages {timeout_seconds, mentions_only?}}: blocks like {@code agent-chat wait}
 * (long-polls the server) until something unread arrives or the timeout passes.
 */
final class WaitForMessagesTool extends RoomTool {
    /** Longer waits are better done as several calls: MCP hosts time tool calls out. */
    static final int MAX_TIMEOUT_SECONDS = 3600;

    private final Duration progressEvery;

    /** @param progressEvery how often a caller that asked for progress hears from a wait */
    WaitForMessagesTool(Seat seat, Duration progressEvery) {
        super(seat);
        this.progressEvery = progressEvery;
    }

    @Override
    Tool tool() {
        return Tool.builder()
            .name("wait_for_messages")
            .title("Wait for new messages")
            .description("Block until at least one message from someone else that you have not read arrives (your "
                + "own never wake it), then return it (and any "
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
    String call(ToolArguments arguments, Progress progress) throws InterruptedException {
        Double seconds = arguments.number("timeout_seconds");
        if (seconds == null || seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
            throw new ToolArguments.Invalid("'timeout_seconds' is required: a number of seconds from 0 to " + MAX_TIMEOUT_SECONDS);
        }
        boolean mentionsOnly = arguments.flag("mentions_only");
        Inbox inbox = seat.inbox(mentionsOnly);
        Instant start = Instant.now();
        Instant deadline = start.plusMillis(Math.round(seconds * 1000));
        // In slices: the cursor saved at the end of one is where the next starts, so nothing is missed between them.
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            List<Message> messages = inbox.await(left.compareTo(progressEvery) > 0 ? progressEvery : left);
            if (!messages.isEmpty()) {
                return ToolResultText.messages(messages, seat.agent(), mentionsOnly);
            }
            if (!Instant.now().isBefore(deadline)) {
                return ToolResultText.waitedInVain(seat.agent(), mentionsOnly, seconds);
            }
            progress.report(Duration.between(start, Instant.now()).toMillis() / 1000.0, seconds, "waiting for messages");
        }
    }
}
