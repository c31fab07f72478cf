package dev.agentchat.cli.output;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.client.model.Message;
import dev.agentchat.messages.MessageView;
import dev.agentchat.messages.Timestamps;
import io.micronaut.core.annotation.Nullable;

import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Prints messages as the original did ({@code [HH:MM:SS] agent: text}, local time), optionally with
 * ids ({@code [HH:MM:SS] #12 agent: text}) and a compact reply marker ({@code agent ↩#11:}); or as
 * NDJSON for programs. After the time, a message reads as in MCP results ({@link MessageView}: the
 * reader's own marked, continuation lines marked so no text can pass for another message).
 */
public final class MessagePrinter {
    private final PrintWriter out;
    private final boolean json;
    private final boolean ids;
    /** The zone clock times are shown in; null for the system's ({@link LocalClock}). */
    @Nullable
    private final ZoneId zone;
    @Nullable
    private final String self;

    public MessagePrinter(PrintWriter out, boolean json, boolean ids) {
        this(out, json, ids, null, null);
    }

    MessagePrinter(PrintWriter out, boolean json, boolean ids, @Nullable ZoneId zone, @Nullable String self) {
        this.out = out;
        this.json = json;
        this.ids = ids;
        this.zone = zone;
        this.self = self;
    }

    /** The same printer, marking the messages {@code self} wrote as its own. */
    public MessagePrinter reader(@Nullable String self) {
        return new MessagePrinter(out, json, ids, zone, self);
    }

    public void print(Message message) {
        out.println(json ? json(message) : line(message));
        out.flush();
    }

    /**
     * The room was restarted (its messages start again from #1): for programs one NDJSON line,
     * {@code {"event":"restarted"}}, among the messages; people read the notice on stderr.
     */
    public void restarted() {
        if (json) {
            out.println(Json.object().put("event", "restarted"));
            out.flush();
        }
    }

    /**
     * Prints the messages one by one, and fails ({@link PartlyShown}, {@link ExitCodes#FAILURE}) at the
     * first the output could not take (a closed pipe, a full disk): a reader moves its cursor past the
     * ones before it, and no further.
     */
    public void printAll(List<Message> messages) {
        Message shown = null;
        for (Message message : messages) {
            print(message);
            if (out.checkError()) { // flushes: what it took has gone out
                throw new PartlyShown(shown);
            }
            shown = message;
        }
    }

    /** The message for people: {@code [HH:MM:SS] } and {@link MessageView#describe}. */
    public String line(Message message) {
        return "[" + clock(message.getTimestamp()) + "] " + view(message).describe(ids, self);
    }

    /** The client's message as the one rendering rule ({@link MessageView}) takes it. */
    public static MessageView view(Message message) {
        return new MessageView(message.getId(), message.getAgent(), message.getText(), message.getTimestamp(),
            message.getReplyTo(), message.getTo(), Boolean.TRUE.equals(message.getAckRequested()), message.getAcks());
    }

    /** One JSON object: id, agent, text, timestamp, and mentions, to, reply_to, the acknowledgement fields, own, kind and verified when present. */
    public String json(Message message) {
        Json.ObjectWriter node = Json.object();
        if (message.getId() != null) {
            node.put("id", message.getId());
        }
        node.put("agent", message.getAgent());
        node.put("text", message.getText());
        if (message.getTimestamp() != null) {
            node.put("timestamp", Timestamps.format(message.getTimestamp()));
        }
        if (message.getMentions() != null && !message.getMentions().isEmpty()) {
            node.put("mentions", message.getMentions());
        }
        if (message.getTo() != null && !message.getTo().isEmpty()) {
            node.put("to", message.getTo());
        }
        if (message.getReplyTo() != null) {
            node.put("reply_to", message.getReplyTo());
        }
        if (Boolean.TRUE.equals(message.getAckOnly())) {
            node.put("ack_only", true);
        }
        if (Boolean.TRUE.equals(message.getAckRequested())) {
            node.put("ack_requested", true);
        }
        // as the API has it: present when asked for (empty until someone acknowledges) or when anyone did
        if (message.getAcks() != null && (!message.getAcks().isEmpty() || Boolean.TRUE.equals(message.getAckRequested()))) {
            node.put("acks", message.getAcks());
        }
        if (MessageView.isOwn(message.getAgent(), self)) {
            node.put("own", true);
        }
        if (message.getKind() != null) {
            node.put("kind", message.getKind().getValue());
        }
        if (message.getVerified() != null) {
            node.put("verified", message.getVerified());
        }
        return node.toString();
    }

    private String clock(OffsetDateTime timestamp) {
        if (timestamp == null) {
            return "";
        }
        return LocalClock.local(timestamp, zone);
    }
}
