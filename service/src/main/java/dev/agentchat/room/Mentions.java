package dev.agentchat.room;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code @name} mentions in a text. A name is letters, digits, '.', '_' and '-'.
 * An '@' that follows a letter or digit is not a mention (so e-mail addresses are not), and a
 * trailing '.' or '-' is punctuation, not part of the name ("thanks @bob." mentions bob).
 */
public final class Mentions {
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_.@-])@([\\p{L}\\p{N}._-]+)");

    private Mentions() {
    }

    public static List<String> in(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            String name = m.group(1).replaceAll("[.-]+$", "");
            if (!name.isEmpty() && names.stream().noneMatch(name::equalsIgnoreCase)) {
                names.add(name);
            }
        }
        return List.copyOf(new ArrayList<>(names));
    }
}
