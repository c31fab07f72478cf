package dev.agentchat.room;

import io.micronaut.core.annotation.Nullable;

/**
 * Which retained messages a reader asks for: ids between {@code after} and {@code before} (both
 * exclusive), optionally only one author's or only those whose text contains {@code text} (ignoring
 * case), and at most {@code limit} of them, taken from the newest end ({@code newest}) or the oldest.
 * The answer is always oldest first.
 */
public record HistoryQuery(long after, long before, int limit, boolean newest, @Nullable String agent,
                           @Nullable String text) {

    /** Whether the query keeps every message in its id range (no author or text to match). */
    public boolean unfiltered() {
        return agent == null && text == null;
    }

    /** Whether the message is one this query asks for, apart from its id range and the limit. */
    public boolean matches(ChatMessage message) {
        return (agent == null || message.agent().equalsIgnoreCase(agent))
            && (text == null || containsIgnoringCase(message.text(), text));
    }

    /** Whether {@code haystack} contains {@code needle}, compared character by character ignoring case. */
    public static boolean containsIgnoringCase(String haystack, String needle) {
        int last = haystack.length() - needle.length();
        for (int i = 0; i <= last; i++) {
            if (haystack.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }
}
