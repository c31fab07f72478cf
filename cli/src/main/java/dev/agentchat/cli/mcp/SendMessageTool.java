package dev.agentchat.cli.mcp;

import dev.agentchat.cli.output.MessagePrinter;
import dev.agentchat.client.model.Message;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;
import dev.agentchat.messages.SendCheck;

/** {@code send_message {text, to?, reply_to?}}: posts to the room as this agent. */
final class SendMessageTool extends RoomTool {
    SendMessageTool(Seat seat) {
        super(seat, ToolCatalog.SEND);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        ToolArguments.Send send = arguments.send();
        SendCheck.Verdict verdict = seat.client().checkSend(seat.agent(), send.to(), send.replyTo(), send.ackRequested());
        if (verdict.refusal() != null) {
            throw new ToolArguments.Invalid(verdict.refusal());
        }
        Message sent = seat.client().send(seat.agent(), send.text(), send.to(), send.replyTo(), send.ackRequested());
        return ToolText.sent(MessagePrinter.view(sent), verdict.warnings());
    }
}
