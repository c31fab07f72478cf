package dev.agentchat.cli.client;


import dev.agentchat.client.model.Message;
import dev.agentchat.room.Courtesy;
import dev.agentchat.room.Mentions;

import java.util.List;

/**
 * Whether a message concerns an agent: it mentions {@code @name} or is addressed to it (case-insensitive).
 * Servers filter with {@code ?for=NAME} already; this also covers the original server, which does not
 * and whose messages carry no {@code mentions}: then the text is read with the server's own rule.
 */
public final class MentionFilter {
    private MentionFilter() {
    }

    /** Whether the message is for {@code name} and more than courtesy ({@code ack_only} never wakes a mention wait). */
    public static boolean concerns(Message message, String name) {
        return (Mentions.includes(mentions(message), name) || Mentions.includes(message.getTo(), name))
            && !ackOnly(message);
    }

    /** As the server marked it, or, from a server that does not, by the same rule ({@link Courtesy}). */
    public static boolean ackOnly(Message message) {
        return message.getAckOnly() != null ? message.getAckOnly() : Courtesy.ackOnly(message.getText());
    }

    /** The names the server listed, or, when it listed none, the ones its rule finds in the text. */
    private static List<String> mentions(Message message) {
        if (message.getMentions() != null && !message.getMentions().isEmpty()) {
            return message.getMentions();
        }
        return Mentions.in(message.getText() == null ? "" : message.getText());
    }
}
