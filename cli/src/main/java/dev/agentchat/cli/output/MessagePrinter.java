package dev.agentchat.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.client.model.Message;
import io.micronaut.core.annotation.Nullable;

import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prints messages as the original did ({@code [HH:MM:SS] agent: text}, local time), optionally with
 * ids ({@code [HH:MM:SS] #12 agent: text}) and a compact reply marker ({@code agent ↩#11:}); or as
 * NDJSON for programs.
 * <p>
 * A message's text cannot pass for another message: every line after its first starts with
 * {@link #CONTINUATION}, which no first line starts with (they start with {@code [}), and control
 * characters that could move the cursor (carriage return, escape sequences) are shown as {@code �}.
 */
public final class MessagePrinter {
    /** What each continuation line of a multi-line message starts with. */
    public static final String CONTINUATION = "  | ";
    /** After the agent's name when the message is the reader's own. */
    public static final String OWN = " (you)";
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u000B\u000C\u0085\u2028\u2029]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\t]]");

    private final PrintWriter out;
    private final boolean json;
    private final boolean ids;
    private final ObjectMapper mapper;
    private final ZoneId zone;
    @Nullable
    private final String self;

    public MessagePrinter(PrintWriter out, boolean json, boolean ids, ObjectMapper mapper) {
        this(out, json, ids, mapper, ZoneId.systemDefault(), null);
    }

    MessagePrinter(PrintWriter out, boolean json, boolean ids, ObjectMapper mapper, ZoneId zone, @Nullable String self) {
        this.out = out;
        this.json = json;
        this.ids = ids;
        this.mapper = mapper;
        this.zone = zone;
        this.self = self;
    }

    /** The same printer, marking the messages {@code self} wrote as its own. */
    public MessagePrinter reader(@Nullable String self) {
        return new MessagePrinter(out, json, ids, mapper, zone, self);
    }

    public void print(Message message) {
        out.println(json ? json(message) : line(message));
        out.flush();
    }

    public void printAll(List<Message> messages) {
        messages.forEach(this::print);
    }

    /** The message for people: {@code [HH:MM:SS] } and {@link #describe}. */
    public String line(Message message) {
        return "[" + clock(message.getTimestamp()) + "] " + describe(message, ids, self);
    }

    /**
     * Everything after the time: {@code #12 alice ↩#11 → bob: text}, with the continuation lines of
     * a multi-line text marked.
     *
     * @param self the reader, whose own messages are marked {@link #OWN} (may be null)
     */
    public static String describe(Message message, boolean ids, @Nullable String self) {
        StringBuilder line = new StringBuilder();
        if (ids && message.getId() != null) {
            line.append('#').append(message.getId()).append(' ');
        }
        line.append(message.getAgent() == null ? "anonymous" : message.getAgent());
        if (isOwn(message, self)) {
            line.append(OWN);
        }
        if (message.getReplyTo() != null) {
            line.append(" ↩#").append(message.getReplyTo());
        }
        if (message.getTo() != null && !message.getTo().isEmpty()) {
            line.append(" → ").append(String.join(",", message.getTo()));
        }
        return line.append(": ").append(text(message.getText())).toString();
    }

    /** Whether {@code self} wrote the message (names compare case-insensitively, as mentions do). */
    public static boolean isOwn(Message message, @Nullable String self) {
        return self != null && message.getAgent() != null && message.getAgent().equalsIgnoreCase(self);
    }

    /** The text with each line after the first behind {@link #CONTINUATION}. */
    static String text(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String[] lines = LINE_BREAK.split(text, -1);
        StringBuilder shown = new StringBuilder(CONTROL.matcher(lines[0]).replaceAll("\uFFFD"));
        for (int i = 1; i < lines.length; i++) {
            shown.append('\n').append(CONTINUATION).append(CONTROL.matcher(lines[i]).replaceAll("\uFFFD"));
        }
        return shown.toString();
    }

    /** One JSON object: id, agent, text, timestamp, and mentions, to, reply_to, own when present. */
    public String json(Message message) {
        ObjectNode node = mapper.createObjectNode();
        if (message.getId() != null) {
            node.put("id", message.getId());
        }
        node.put("agent", message.getAgent());
        node.put("text", message.getText());
        if (message.getTimestamp() != null) {
            node.put("timestamp", Timestamps.format(message.getTimestamp()));
        }
        if (message.getMentions() != null && !message.getMentions().isEmpty()) {
            message.getMentions().forEach(node.putArray("mentions")::add);
        }
        if (message.getTo() != null && !message.getTo().isEmpty()) {
            message.getTo().forEach(node.putArray("to")::add);
        }
        if (message.getReplyTo() != null) {
            node.put("reply_to", message.getReplyTo());
        }
        if (isOwn(message, self)) {
            node.put("own", true);
        }
        return node.toString();
    }

    private String clock(OffsetDateTime timestamp) {
        return timestamp == null ? "" : CLOCK.format(timestamp.atZoneSameInstant(zone));
    }
}
