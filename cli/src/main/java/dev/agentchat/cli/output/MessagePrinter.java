package dev.agentchat.cli.output;

import dev.agentchat.cli.output.MessagePrinter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.client.model.Message;

import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Prints messages as the original did ({@code [HH:MM:SS] agent: text}, local time), optionally with
 * ids ({@code [HH:MM:SS] #12 agent: text}) and a compact reply marker ({@code agent ↩#11:}); or as
 * NDJSON for programs.
 */
public final class MessagePrinter {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final PrintWriter out;
    private final boolean json;
    private final boolean ids;
    private final ObjectMapper mapper;
    private final ZoneId zone;

    public MessagePrinter(PrintWriter out, boolean json, boolean ids, ObjectMapper mapper) {
        this(out, json, ids, mapper, ZoneId.systemDefault());
    }

    MessagePrinter(PrintWriter out, boolean json, boolean ids, ObjectMapper mapper, ZoneId zone) {
        this.out = out;
        this.json = json;
        this.ids = ids;
        this.mapper = mapper;
        this.zone = zone;
    }

    public void print(Message message) {
        out.println(json ? json(message) : line(message));
        out.flush();
    }

    public void printAll(List<Message> messages) {
        messages.forEach(this::print);
    }

    /** One line for people. */
    public String line(Message message) {
        StringBuilder line = new StringBuilder("[").append(clock(message.getTimestamp())).append("] ");
        if (ids && message.getId() != null) {
            line.append('#').append(message.getId()).append(' ');
        }
        line.append(message.getAgent() == null ? "anonymous" : message.getAgent());
        if (message.getReplyTo() != null) {
            line.append(" ↩#").append(message.getReplyTo());
        }
        if (message.getTo() != null && !message.getTo().isEmpty()) {
            line.append(" → ").append(String.join(",", message.getTo()));
        }
        return line.append(": ").append(message.getText() == null ? "" : message.getText()).toString();
    }

    /** One JSON object: id, agent, text, timestamp, and mentions, to, reply_to when present. */
    public String json(Message message) {
        ObjectNode node = mapper.createObjectNode();
        if (message.getId() != null) {
            node.put("id", message.getId());
        }
        node.put("agent", message.getAgent());
        node.put("text", message.getText());
        if (message.getTimestamp() != null) {
            node.put("timestamp", TIMESTAMP.format(message.getTimestamp()));
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
        return node.toString();
    }

    private String clock(OffsetDateTime timestamp) {
        return timestamp == null ? "" : CLOCK.format(timestamp.atZoneSameInstant(zone));
    }
}
