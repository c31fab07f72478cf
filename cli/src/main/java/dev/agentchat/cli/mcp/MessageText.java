package dev.agentchat.cli.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.client.model.Agent;
import dev.agentchat.client.model.Message;
import dev.agentchat.cli.output.MessagePrinter;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * Tool results as text a model reads easily: one message per line,
 * {@code [2026-11-24T12:21:05.772+00:00] #12 alice ↩#11 → bob: text}, with the full timestamp
 * (agents may sit in other time zones) and the id to answer with {@code reply_to}.
 */
final class MessageText {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** Only its {@code line} is used, which prints nothing. */
    private static final MessagePrinter LINES =
        new MessagePrinter(new PrintWriter(Writer.nullWriter()), false, true, new ObjectMapper());

    private MessageText() {
    }

    static String line(Message message) {
        String line = LINES.line(message); // "[HH:MM:SS] #12 alice ↩#11 → bob: text", as the CLI prints it
        return "[" + timestamp(message.getTimestamp()) + "]" + line.substring(line.indexOf(']') + 1);
    }

    /** A heading and one line per message, or {@code none} when there are none. */
    static String messages(List<Message> messages, String none) {
        if (messages.isEmpty()) {
            return none;
        }
        StringBuilder text = new StringBuilder(messages.size() == 1 ? "1 new message:" : messages.size() + " new messages:");
        messages.forEach(message -> text.append('\n').append(line(message)));
        return text.toString();
    }

    /** One line per agent, online ones first; {@code self} is marked. */
    static String agents(List<Agent> all, String self) {
        List<Agent> agents = all.stream()
            .sorted(Comparator.comparing((Agent a) -> !Boolean.TRUE.equals(a.getOnline()))).toList();
        if (agents.isEmpty()) {
            return "Nobody has spoken or listened in this room yet.";
        }
        long online = agents.stream().filter(a -> Boolean.TRUE.equals(a.getOnline())).count();
        StringBuilder text = new StringBuilder(agents.size() + (agents.size() == 1 ? " agent" : " agents"))
            .append(" (").append(online).append(" online):");
        for (Agent agent : agents) {
            text.append("\n- ").append(agent.getName());
            if (agent.getName() != null && agent.getName().equalsIgnoreCase(self)) {
                text.append(" (you)");
            }
            text.append(": ").append(Boolean.TRUE.equals(agent.getOnline()) ? "online" : "offline");
            Integer connections = agent.getConnections();
            if (connections != null && connections > 0) {
                text.append(", ").append(connections).append(connections == 1 ? " connection" : " connections");
            }
            if (agent.getLastSeen() != null) {
                text.append(", last seen ").append(timestamp(agent.getLastSeen()));
            }
        }
        return text.toString();
    }

    private static String timestamp(OffsetDateTime timestamp) {
        return timestamp == null ? "?" : TIMESTAMP.format(timestamp);
    }
}
