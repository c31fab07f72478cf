package dev.agentchat.room;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mention rule, defined here only. The server stores each message's {@code mentions} with it;
 * the CLI calls this class for servers whose messages carry none; the web UI highlights the names
 * the server listed.
 * <p>
 * A mention is {@code @} followed by a name: letters and digits of any script (with their combining
 * marks, so {@code @café} and {@code @エージェント} are names) and {@code .}, {@code _}, {@code -}. The
 * name ends at the first other character: a space, {@code ,}, {@code !}, {@code @}, a bracket. A
 * trailing {@code .} or {@code -} is punctuation, not part of the name ("thanks @bob." mentions bob).
 * An {@code @} right after a name character or another {@code @} is not a mention, so e-mail
 * addresses are not. Names compare case-insensitively.
 */
public final class Mentions {
    private static final String NAME_CHAR = "\\p{L}\\p{M}\\p{N}._\\-";
    private static final Pattern MENTION = Pattern.compile("(?<![" + NAME_CHAR + "@])@([" + NAME_CHAR + "]+)");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.-]+$");

    private Mentions() {
    }

    /** The names mentioned in {@code text}, in order of first mention, each once (in its first spelling). */
    public static List<String> in(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            String name = TRAILING_PUNCTUATION.matcher(m.group(1)).replaceFirst("");
            if (!name.isEmpty() && !includes(names, name)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** Whether {@code names} (which may be null) holds {@code name}, compared case-insensitively. */
    public static boolean includes(List<String> names, String name) {
        if (names == null) {
            return false;
        }
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
