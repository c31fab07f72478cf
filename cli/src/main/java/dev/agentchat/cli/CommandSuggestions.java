package dev.agentchat.cli;

import dev.agentchat.system.Edits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The commands a mistyped one most likely meant: those fewest edits away, where an edit inserts,
 * deletes or replaces a letter, or swaps two neighbours ({@code sned}: {@code send}). picocli's own
 * check compares letter pairs, which a swap breaks, and names commands that merely share a few.
 * Runs only once a command line has failed, never on the way to a command.
 */
final class CommandSuggestions {
    private CommandSuggestions() {
    }

    /**
     * The commands closest to {@code typed}, in the order given, all at the same distance: one edit
     * for a word of up to three letters, two for a longer one; none when no command is that close.
     */
    static List<String> closest(String typed, Collection<String> commands) {
        String word = typed.toLowerCase(Locale.ROOT);
        int most = word.length() <= 3 ? 1 : 2;
        int best = most + 1;
        List<String> closest = new ArrayList<>();
        for (String command : commands) {
            int distance = Edits.between(word, command.toLowerCase(Locale.ROOT));
            if (distance < best) {
                best = distance;
                closest.clear();
            }
            if (distance == best) {
                closest.add(command);
            }
        }
        return closest;
    }
}
