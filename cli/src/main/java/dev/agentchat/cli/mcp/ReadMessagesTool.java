package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.Inbox;
import dev.agentchat.cli.output.MessagePrinter;
import dev.agentchat.client.model.Message;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;
import dev.agentchat.room.AnswerBudget;

import java.util.List;

/**
 * {@code read_messages {mentions_only?, last?}}: what this agent has not read yet, like
 * {@code agent-chat read}, at most one tool result's worth as the room's own {@code /mcp} answers
 * ({@link ToolCatalog#RESULT_MAX_BYTES}, counted by the lines returned); the rest is left unread, and said to remain. A room
 * found restarted since the last read is said first ({@link ToolText#RESTARTED}), as {@code wait_for_messages} says it,
 * and so are messages dropped from the room's history before they were read.
 */
final class ReadMessagesTool extends RoomTool {
    ReadMessagesTool(Seat seat) {
        super(seat, ToolCatalog.READ);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        ToolArguments.Read read = arguments.read();
        Told told = new Told();
        Inbox.Answer answer = seat.inbox(read.mentionsOnly()).read(read.last(), new AnswerBudget(ToolCatalog.RESULT_MAX_BYTES),
            message -> size(message, seat.agent()), told);
        String text = ToolText.messages(answer.messages().stream().map(MessagePrinter::view).toList(), seat.agent(),
            read.mentionsOnly());
        return told.before(answer.more() ? text + "\n" + ToolText.MORE_UNREAD : text);
    }

    /** A message's size in a tool result: its line, as the agent reads it. */
    static long size(Message message, String agent) {
        return ToolText.line(MessagePrinter.view(message), agent).length();
    }

    /** The first of {@code messages} one tool result holds ({@link ToolCatalog#RESULT_MAX_BYTES}), and at least one. */
    static List<Message> firstResult(List<Message> messages, String agent) {
        return AnswerBudget.first(messages, ToolCatalog.RESULT_MAX_BYTES, message -> size(message, agent));
    }
}
