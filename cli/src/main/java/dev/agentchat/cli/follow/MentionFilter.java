package dev.agentchat.cli.follow;

import dev.agentchat.client.model.Message;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a message concerns an agent: it mentions {@code @name} or is addressed to it (case-insensitive).
 * Servers filter with {@code ?for=NAME} already; this also covers the original server, which does not.
 */
public final class MentionFilter {
    private MentionFilter() {
    }

    public static boolean concerns(Message message, String name) {
        if (contains(message.getMentions(), name) || contains(message.getTo(), name)) {
            return true;
        }
        if (message.getMentions() != null && !message.getMentions().isEmpty()) {
            return false;
        }
        String text = message.getText() == null ? "" : message.getText();
        return Pattern.compile("(?<![A-Za-z0-9._-])@" + Pattern.quote(name) + "(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_-])",
            Pattern.CASE_INSENSITIVE).matcher(text).find();
    }

    private static boolean contains(List<String> names, String name) {
        if (names == null) {
            return false;
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(wanted));
    }
}
