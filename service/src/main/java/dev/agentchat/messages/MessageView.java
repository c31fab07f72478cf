package dev.agentchat.messages;

import dev.agentchat.api.model.Message;
import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A message as people and models read it, whichever model class it came in (the service's, or the
 * generated Java client's in the CLI): the one rule for
 * {@code #12 alice (you) ↩#11 → bob [ack requested, acked by bob]: text}, shared by the CLI's plain
 * output and the results of both MCP servers.
 * <p>
 * A message's text cannot pass for another message: every line after its first starts with
 * {@link #CONTINUATION}, which no first line starts with (they start with {@code [}); a carriage return
 * breaks the line like a line feed, and in the text and the names the characters that could steer a
 * terminal or reorder what is read (escape sequences, bidirectional overrides) are shown as
 * {@link VisibleText} shows them.
 */
public record MessageView(@Nullable Long id, @Nullable String agent, @Nullable String text,
                          @Nullable OffsetDateTime timestamp, @Nullable Long replyTo, List<String> to,
                          boolean ackRequested, List<String> acks) {
    /** What each continuation line of a multi-line message starts with. */
    public static final String CONTINUATION = "  | ";
    /** After the agent's name when the message (or the listed agent) is the reader's own. */
    public static final String OWN = " (you)";
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u000B\u000C\u0085\u2028\u2029]");

    public MessageView {
        to = to == null ? List.of() : to;
        acks = acks == null ? List.of() : acks;
    }

    public static MessageView of(Message message) {
        return new MessageView(message.getId(), message.getAgent(), message.getText(), message.getTimestamp(),
            message.getReplyTo(), message.getTo(), Boolean.TRUE.equals(message.getAckRequested()), message.getAcks());
    }

    /**
     * Everything after the time: {@code #12 alice ↩#11 → bob: text}, with whether it asks for
     * acknowledgements and who gave them, and the continuation lines of a multi-line text marked.
     *
     * @param self the reader, whose own messages are marked {@link #OWN} (may be null)
     */
    public String describe(boolean ids, @Nullable String self) {
        StringBuilder line = new StringBuilder();
        if (ids && id != null) {
            line.append('#').append(id).append(' ');
        }
        line.append(agent == null ? "anonymous" : VisibleText.of(agent));
        if (isOwn(agent, self)) {
            line.append(OWN);
        }
        if (replyTo != null) {
            line.append(" ↩#").append(replyTo);
        }
        if (!to.isEmpty()) {
            line.append(" → ").append(VisibleText.of(String.join(",", to)));
        }
        if (ackRequested || !acks.isEmpty()) {
            line.append(" [").append(ackRequested ? "ack requested" : "")
                .append(ackRequested && !acks.isEmpty() ? ", " : "")
                .append(acks.isEmpty() ? "" : "acked by " + VisibleText.of(String.join(", ", acks))).append(']');
        }
        return line.append(": ").append(shown(text)).toString();
    }

    /** Whether {@code self} is {@code agent} (names compare case-insensitively, as mentions do). */
    public static boolean isOwn(@Nullable String agent, @Nullable String self) {
        return self != null && agent != null && agent.equalsIgnoreCase(self);
    }

    /** The text with each line after the first behind {@link #CONTINUATION}, as {@link VisibleText} shows it. */
    static String shown(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String[] lines = LINE_BREAK.split(text, -1);
        StringBuilder shown = new StringBuilder(VisibleText.of(lines[0]));
        for (int i = 1; i < lines.length; i++) {
            shown.append('\n').append(CONTINUATION).append(VisibleText.of(lines[i]));
        }
        return shown.toString();
    }
}
