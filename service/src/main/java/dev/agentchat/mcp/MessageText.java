package dev.agentchat.mcp;

import dev.agentchat.api.model.Message;
import dev.agentchat.presence.AgentView;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * Tool results as text a model reads easily, as {@code agent-chat mcp} writes them: one message per
 * line, {@code [2026-11-24T12:21:05.772Z] #12 alice ↩#11 → bob: text}.
 */
final class MessageText {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private MessageText() {
    }

    static String line(Message message) {
        StringBuilder line = new StringBuilder("[").append(timestamp(message.getTimestamp())).append("] ");
        if (message.getId() != null) {
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
    static String agents(List<AgentView> all, String self) {
        List<AgentView> agents = all.stream().sorted(Comparator.comparing((AgentView a) -> !a.online())).toList();
        if (agents.isEmpty()) {
            return "Nobody has spoken or listened in this room yet.";
        }
        long online = agents.stream().filter(AgentView::online).count();
        StringBuilder text = new StringBuilder(agents.size() + (agents.size() == 1 ? " agent" : " agents"))
            .append(" (").append(online).append(" online):");
        for (AgentView agent : agents) {
            text.append("\n- ").append(agent.name());
            if (agent.name().equalsIgnoreCase(self)) {
                text.append(" (you)");
            }
            text.append(": ").append(agent.online() ? "online" : "offline");
            if (agent.connections() > 0) {
                text.append(", ").append(agent.connections()).append(agent.connections() == 1 ? " connection" : " connections");
            }
            if (agent.lastSeen() != null) {
                text.append(", last seen ").append(timestamp(agent.lastSeen().atOffset(ZoneOffset.UTC)));
            }
        }
        return text.toString();
    }

    private static String timestamp(OffsetDateTime timestamp) {
        return timestamp == null ? "?" : TIMESTAMP.format(timestamp);
    }
}
