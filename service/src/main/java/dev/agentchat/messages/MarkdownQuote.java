package dev.agentchat.messages;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message's text as the transcript's Markdown: quoted lines, so no text can pass for a heading or for
 * another message, safe to render, with the agent's own Markdown kept and its code exactly as written.
 *
 * <p>Outside code, {@code <}, {@code >} and {@code &} become entities (every Markdown reader decodes
 * them, and no HTML tag, comment or entity trick survives), a script or data link target gets an
 * {@code unsafe:} scheme in front that nothing runs, an image becomes a link (its {@code !} escaped: nothing
 * is fetched when the transcript is rendered), and every backtick is escaped. Code spans and
 * fenced code blocks are written between delimiters of the transcript's own, longer than any run of
 * backticks inside, so their text needs no escaping: the only backticks a reader can pair are those
 * delimiters, whichever way it would have read the message's own. A reader without fenced blocks reads
 * a block as one code span, just as literal.
 */
final class MarkdownQuote {
    /**
     * A URL scheme that runs or embeds content, where a link target could start (not inside a longer
     * word), even with its colon backslash-escaped (Markdown unescapes link targets). Only directly
     * before something, so prose such as "data: 3 rows" is left alone.
     */
    private static final String SCRIPT_SCHEME_START = "(?i)(?<![a-z0-9+.\\-])(?=(?:javascript|vbscript|data)\\\\?:";
    private static final Pattern SCRIPT_SCHEME = Pattern.compile(SCRIPT_SCHEME_START + "\\S)");
    /** The same, also where a code span follows straight after the colon. */
    private static final Pattern SCRIPT_SCHEME_BEFORE_CODE = Pattern.compile(SCRIPT_SCHEME_START + "(?:\\S|$))");
    private static final Pattern FENCE_OPEN = Pattern.compile("^( {0,3})(`{3,}|~{3,})(.*)$");
    /** The first word of a fence's info string (its language), in characters that cannot format. */
    private static final Pattern LANGUAGE = Pattern.compile("^\\s*([A-Za-z0-9_+#.\\-]+)");

    private MarkdownQuote() {
    }

    /** Appends the lines, each quoted ({@code > }), a line break after each. */
    static void append(StringBuilder out, List<String> lines) {
        // per fence character, the shortest opening fence found with no closing line after it: a later
        // fence as long or longer has none either, so no line is searched for its closing more than once
        // per length (a message of thousands of unclosed fences would otherwise take seconds)
        Map<Character, Integer> unclosed = new HashMap<>(2);
        for (int i = 0; i < lines.size(); i++) {
            int close = fenceClose(lines, i, unclosed);
            if (close > i) {
                appendBlock(out, lines, i, close);
                i = close;
            } else {
                String line = VisibleText.of(lines.get(i));
                out.append(line.isEmpty() ? ">" : "> " + inline(line)).append('\n');
            }
        }
    }

    /** One line of Markdown outside code blocks: its code spans exact, the rest made safe. */
    static String inline(String line) {
        StringBuilder out = new StringBuilder(line.length() + 16);
        int text = 0;
        int i = 0;
        while (i < line.length()) {
            if (line.charAt(i) != '`') {
                i++;
                continue;
            }
            int run = runLength(line, i, '`');
            int close = escaped(line, i) ? -1 : closingRun(line, i + run, run);
            if (close < 0) {
                i += run;
                continue;
            }
            out.append(outside(line.substring(text, i), SCRIPT_SCHEME_BEFORE_CODE));
            out.append(codeSpan(line.substring(i + run, close)));
            i = close + run;
            text = i;
        }
        return out.append(outside(line.substring(text), SCRIPT_SCHEME)).toString();
    }

    /**
     * The index of the line that closes a fenced block opened at {@code open}, or -1; {@code unclosed}
     * is what {@link #append} knows of fences without a closing line, and learns here.
     */
    private static int fenceClose(List<String> lines, int open, Map<Character, Integer> unclosed) {
        Matcher fence = FENCE_OPEN.matcher(lines.get(open));
        if (!fence.matches() || fence.group(2).charAt(0) == '`' && fence.group(3).indexOf('`') >= 0) {
            return -1;
        }
        String marker = fence.group(2);
        char mark = marker.charAt(0);
        Integer shortest = unclosed.get(mark);
        if (shortest != null && marker.length() >= shortest) {
            return -1;
        }
        Pattern closing = Pattern.compile("^ {0,3}" + Pattern.quote(String.valueOf(mark)) + "{" + marker.length() + ",}[ \\t]*$");
        for (int i = open + 1; i < lines.size(); i++) {
            if (closing.matcher(lines.get(i)).matches()) {
                return i;
            }
        }
        unclosed.put(mark, marker.length());
        return -1;
    }

    private static void appendBlock(StringBuilder out, List<String> lines, int open, int close) {
        Matcher fence = FENCE_OPEN.matcher(lines.get(open));
        fence.matches();
        int indent = fence.group(1).length();
        List<String> code = lines.subList(open + 1, close).stream().map(VisibleText::of)
            .map(line -> unindented(line, indent)).toList();
        String delimiter = "`".repeat(Math.max(3, code.stream().mapToInt(MarkdownQuote::longestBackticks).max().orElse(0) + 1));
        Matcher language = LANGUAGE.matcher(fence.group(3));
        out.append("> ").append(delimiter).append(language.find() ? language.group(1) : "").append('\n');
        for (String line : code) {
            out.append(line.isEmpty() ? ">" : "> " + line).append('\n');
        }
        out.append("> ").append(delimiter).append('\n');
    }

    /** A code block's line without up to {@code indent} spaces its fence was indented by. */
    private static String unindented(String line, int indent) {
        int strip = 0;
        while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
            strip++;
        }
        return line.substring(strip);
    }

    /** A code span's text between delimiters of the transcript's own; padded where its edges would be read away. */
    private static String codeSpan(String code) {
        String delimiter = "`".repeat(longestBackticks(code) + 1);
        boolean pad = code.startsWith("`") || code.endsWith("`") || code.startsWith(" ") && code.endsWith(" ") && !code.isBlank();
        return pad ? delimiter + " " + code + " " + delimiter : delimiter + code + delimiter;
    }

    /** Text outside code: backticks escaped (but one a backslash already escapes), HTML as entities, script links and images defused. */
    private static String outside(String text, Pattern scriptScheme) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '`' -> out.append(escaped(text, i) ? "`" : "\\`");
                // an image would be fetched by whoever renders the transcript: it stays a link, to follow or not
                case '!' -> out.append(image(text, i) ? "\\!" : "!");
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return scriptScheme.matcher(out).replaceAll("unsafe:");
    }

    /** Whether the {@code !} at {@code at} starts an image ({@code ![}). */
    private static boolean image(String text, int at) {
        return at + 1 < text.length() && text.charAt(at + 1) == '[' && !escaped(text, at);
    }

    /** Whether the character at {@code at} follows an odd run of backslashes, which escapes it. */
    private static boolean escaped(String text, int at) {
        int backslashes = 0;
        while (at - backslashes - 1 >= 0 && text.charAt(at - backslashes - 1) == '\\') {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** The start of the next run of exactly {@code length} backticks from {@code from}, or -1. */
    private static int closingRun(String line, int from, int length) {
        for (int i = from; i < line.length(); ) {
            if (line.charAt(i) != '`') {
                i++;
                continue;
            }
            int run = runLength(line, i, '`');
            if (run == length) {
                return i;
            }
            i += run;
        }
        return -1;
    }

    private static int runLength(String text, int from, char c) {
        int end = from;
        while (end < text.length() && text.charAt(end) == c) {
            end++;
        }
        return end - from;
    }

    private static int longestBackticks(String text) {
        int longest = 0;
        for (int i = 0; i < text.length(); ) {
            int run = runLength(text, i, '`');
            longest = Math.max(longest, run);
            i += Math.max(run, 1);
        }
        return longest;
    }
}
