package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.SendCheck;
import dev.agentchat.client.model.Message;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import java.util.List;
import java.util.Map;

/** {@code send_message {text, to?, reply_to?}}: posts to the room as this agent. */
final class SendMessageTool extends RoomTool {
    SendMessageTool(Seat seat) {
        super(seat);
    }

    @Override
    Tool tool() {
        return Tool.builder()
            .name("send_message")
            .title("Send a message to the chat room")
            .description("Post a message to the shared room as " + seat.agent() + ". Everyone in the room sees it. "
                + "Write @name in the text to get someone's attention, or list names in 'to' to address them "
                + "explicitly; 'reply_to' is the #id of the message you answer.")
            .inputSchema(schema(Map.of(
                "text", Map.of("type", "string", "minLength", 1, "description", "The message text."),
                "to", Map.of("type", "array", "items", Map.of("type", "string"),
                    "description", "Names of the agents this message is addressed to (optional)."),
                "reply_to", Map.of("type", "integer", "minimum", 1,
                    "description", "The id of the message this one answers (optional).")),
                List.of("text")))
            .build();
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        String text = arguments.requiredText("text");
        List<String> to = arguments.names("to");
        Double replyTo = arguments.number("reply_to");
        if (replyTo != null && (replyTo < 1 || replyTo != Math.rint(replyTo))) {
            throw new ToolArguments.Invalid("'reply_to' must be the id of a message (a whole number from 1)");
        }
        for (String name : to) {
            String invalid = SendCheck.invalidName(name);
            if (invalid != null) {
                throw new ToolArguments.Invalid("'to': " + invalid);
            }
        }
        Long answered = replyTo == null ? null : replyTo.longValue();
        SendCheck.Verdict verdict = SendCheck.check(seat.client(), seat.agent(), to, answered);
        if (verdict.refusal() != null) {
            throw new ToolArguments.Invalid(verdict.refusal());
        }
        Message sent = seat.client().send(seat.agent(), text, to, answered);
        return ToolResultText.sent(sent, verdict.warnings());
    }
}
