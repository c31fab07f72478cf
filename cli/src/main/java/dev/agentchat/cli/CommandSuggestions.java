package dev.agentchat.cli;

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
            int distance = distance(word, command.toLowerCase(Locale.ROOT));
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

    /** The edits from {@code a} to {@code b}: inserts, deletes, replacements and swaps of neighbours (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
