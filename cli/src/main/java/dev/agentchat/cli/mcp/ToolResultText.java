package dev.agentchat.cli.mcp;

import dev.agentchat.cli.output.MessagePrinter;
import dev.agentchat.cli.output.Timestamps;
import dev.agentchat.client.model.Agent;
import dev.agentchat.client.model.Message;
import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * Every text a tool answers with, in one place (so that another MCP front end can answer alike):
 * one message per line, {@code [2026-11-24T12:21:05.772257+00:00] #12 alice ↩#11 → bob: text}, with
 * the full timestamp in the API's format (agents may sit in other time zones), the id to answer with
 * {@code reply_to}, the reader's own messages marked {@code (you)} and the continuation lines of a
 * multi-line text marked as the CLI marks them, so no text can pass for another message.
 */
final class ToolResultText {
    private ToolResultText() {
    }

    static String line(Message message, @Nullable String self) {
        return "[" + timestamp(message.getTimestamp()) + "] " + MessagePrinter.describe(message, true, self);
    }

    /** What {@code send_message} answers (the message, not marked: it is obviously the caller's), with any warnings on lines of their own. */
    static String sent(Message message, List<String> warnings) {
        StringBuilder text = new StringBuilder("Sent: ").append(line(message, null));
        warnings.forEach(warning -> text.append("\nWarning: ").append(warning));
        return text.toString();
    }

    /** A heading and one line per message, or {@link #nothingNew} when there are none. */
    static String messages(List<Message> messages, String self, boolean mentionsOnly) {
        if (messages.isEmpty()) {
            return nothingNew(self, mentionsOnly);
        }
        StringBuilder text = new StringBuilder(messages.size() == 1 ? "1 new message:" : messages.size() + " new messages:");
        messages.forEach(message -> text.append('\n').append(line(message, self)));
        return text.toString();
    }

    /** What an empty result says. */
    static String nothingNew(String self, boolean mentionsOnly) {
        return mentionsOnly
            ? "No new messages that mention you (@" + self + ") or are addressed to you."
            : "No new messages.";
    }

    /** What {@code wait_for_messages} says when its time is up. */
    static String waitedInVain(String self, boolean mentionsOnly, double seconds) {
        String shown = seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
        return nothingNew(self, mentionsOnly) + " (waited " + shown + " s)";
    }

    /** A failed call: one readable line. */
    static String error(String message) {
        return "Error: " + message;
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
                text.append(MessagePrinter.OWN);
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
        return timestamp == null ? "?" : Timestamps.format(timestamp);
    }
}
