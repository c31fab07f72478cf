package dev.agentchat.messages;

import io.micronaut.core.annotation.Nullable;

/**
 * The one rule for showing what others wrote to people (plain output, MCP results, transcripts):
 * every character that could steer a terminal or reorder what is read is shown as U+FFFD. That is
 * each control character but tab, line feed and carriage return (escape sequences, backspace, C1
 * controls), and each bidirectional embedding, override, isolate or mark: invisible, they make
 * "evil", U+202E, "txt.exe" read as "evilexe.txt". Line breaks are the caller's to mark. Data for
 * programs (JSON) stays exact.
 */
public final class VisibleText {
    public static final char SHOWN_AS = '\uFFFD';

    private VisibleText() {
    }

    /** {@code text} with each such character as {@link #SHOWN_AS}; null as "". */
    public static String of(@Nullable String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            if (hidden(text.charAt(i))) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, SHOWN_AS);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean hidden(char c) {
        return Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' || bidiControl(c);
    }

    /** U+200E/U+200F (marks), U+202A-U+202E (embeddings, overrides), U+2066-U+2069 (isolates). */
    private static boolean bidiControl(char c) {
        return c == '\u200E' || c == '\u200F' || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }
}
