package dev.agentchat.messages;

import dev.agentchat.error.ApiError;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Draft;
import dev.agentchat.room.Room;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A room's transcript ({@code exportMessages}): every retained message, oldest first, under a
 * heading with the room's name and topic, as Markdown, JSON lines or one self-contained HTML page.
 * It is an {@link InputStream} that reads the history a page at a time while it is being sent, so
 * a large room's transcript never has to be held in memory whole. A {@link Part} of it starts after a
 * message and stops at a size, and then ends by saying where the rest begins.
 *
 * <p>The Markdown and HTML are safe to render and to print: message text cannot become live HTML or
 * a script link, and control characters (a terminal's escape sequences, bidi overrides) show as
 * U+FFFD ({@link VisibleText}). The JSON lines keep every message exactly as it was sent.
 */
public final class Transcript extends InputStream {
    /** Messages read from the room at a time. */
    static final int PAGE = 500;
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u000B\u000C\u0085\u2028\u2029]");
    /** The formats a transcript is written in. */
    public enum Format {
        MARKDOWN("markdown", "md", MediaType.of("text/markdown;charset=utf-8")),
        JSONL("jsonl", "jsonl", MediaType.of("application/x-ndjson;charset=utf-8")),
        HTML("html", "html", MediaType.of("text/html;charset=utf-8"));

        private final String id;
        private final String extension;
        private final MediaType mediaType;

        Format(String id, String extension, MediaType mediaType) {
            this.id = id;
            this.extension = extension;
            this.mediaType = mediaType;
        }

        public MediaType mediaType() {
            return mediaType;
        }

        /** The format a {@code format} parameter names (markdown when none); any other is {@code invalid_parameter}. */
        public static Format of(@Nullable String name) {
            if (name == null || name.isEmpty()) {
                return MARKDOWN;
            }
            for (Format format : values()) {
                if (format.id.equals(name.toLowerCase(Locale.ROOT))) {
                    return format;
                }
            }
            throw ApiError.INVALID_PARAMETER.exception("Unknown format '" + shortened(name)
                + "': use markdown, jsonl or html");
        }

        /** The file name to offer the transcript under. */
        public String fileName(String room) {
            return (room.startsWith("~") ? "agent-chat" : "agent-chat-" + room) + "-transcript." + extension;
        }
    }

    /**
     * Which part of the transcript: the messages after {@code after} (0: from the first), while the
     * transcript holds at most {@code maxBytes} (always at least one message; {@link Long#MAX_VALUE}: all of
     * them). A transcript cut short ends by saying so and with the id to go on after.
     */
    public record Part(long after, long maxBytes) {
        /** The smallest {@code max_bytes} a request may ask for: room for the heading and a message's lines. */
        public static final long MIN_BYTES = 1024;
    }

    private final Room room;
    private final JsonMapper json;
    private final Format format;
    private final long maxBytes;
    private final String title;
    @Nullable
    private final String topic;
    private final Instant exported;
    private final Function<Collection<Long>, Map<Long, List<String>>> acks;
    private final MessageMapper messages;
    private long cursor;
    /** Bytes of the transcript made so far, counted only when its size is bounded. */
    private long made;
    private boolean anyMessage;
    private boolean started;
    private boolean finished;
    private byte[] chunk = new byte[0];
    private int position;

    /**
     * @param title what the room is called at the top ("design" or the server's own room's name)
     * @param topic the room's topic, if it has one
     * @param acks  the acknowledgements of those of some messages that have any, as they are now
     */
    public Transcript(Room room, JsonMapper json, Format format, Part part, String title, @Nullable String topic,
                      Instant exported, Function<Collection<Long>, Map<Long, List<String>>> acks) {
        this.room = room;
        this.json = json;
        this.format = format;
        this.cursor = part.after();
        this.maxBytes = part.maxBytes();
        this.title = title;
        this.topic = topic;
        this.exported = exported;
        this.acks = acks;
        this.messages = new MessageMapper(json);
    }

    @Override
    public int read() {
        if (!fill()) {
            return -1;
        }
        return chunk[position++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, n);
        position += n;
        return n;
    }

    /** Makes the next chunk when the current one is used up; false at the end. */
    private boolean fill() {
        while (position >= chunk.length) {
            if (finished) {
                return false;
            }
            StringBuilder text = new StringBuilder();
            if (!started) {
                started = true;
                head(text);
                made = utf8Length(text, 0);
            } else {
                List<ChatMessage> page = room.after(cursor, PAGE);
                Map<Long, List<String>> acked = page.isEmpty() ? Map.of() : acks.apply(page.stream().map(ChatMessage::id).toList());
                for (ChatMessage message : page) {
                    int before = text.length();
                    message(text, message, acked.getOrDefault(message.id(), List.of()));
                    if (!fits(text, before)) {
                        text.setLength(before);
                        cut(text);
                        finished = true;
                        break;
                    }
                    cursor = message.id();
                }
                if (page.size() < PAGE && !finished) {
                    finished = true;
                    tail(text);
                }
            }
            chunk = text.toString().getBytes(StandardCharsets.UTF_8);
            position = 0;
        }
        return true;
    }

    /**
     * Whether the message just written (from {@code from} on) keeps the transcript within its size:
     * always the first, so that one large message still goes out.
     */
    private boolean fits(StringBuilder text, int from) {
        if (maxBytes == Long.MAX_VALUE) {
            return true;
        }
        boolean first = !anyMessage;
        anyMessage = true;
        long size = utf8Length(text, from);
        if (first || made + size <= maxBytes) {
            made += size;
            return true;
        }
        return false;
    }

    private static long utf8Length(CharSequence text, int from) {
        long bytes = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The end of a transcript cut short: it says so, and after which message the rest begins. */
    private void cut(StringBuilder out) {
        String rest = "More messages follow #" + cursor + ": ask for the transcript after " + cursor + " for the next part.";
        switch (format) {
            case MARKDOWN -> out.append("\n---\n\n*").append(rest).append("*\n");
            case JSONL -> out.append("{\"more_after\":").append(cursor).append("}\n");
            case HTML -> out.append("<p class=\"more\">").append(html(rest)).append("</p>\n");
        }
        tail(out);
    }

    private void head(StringBuilder out) {
        String when = Timestamps.format(exported);
        switch (format) {
            case MARKDOWN -> {
                out.append("# ").append(oneLine(title)).append("\n\n");
                if (topic != null) {
                    out.append("**Topic:** ").append(MarkdownQuote.inline(oneLine(topic))).append("\n\n");
                }
                out.append("Transcript exported ").append(when).append(" (times in UTC). ✓ marks a verified sender ")
                    .append("(it held its name), *(human)* a person.\n\n---\n");
            }
            case JSONL -> {
                Map<String, String> room = new LinkedHashMap<>();
                room.put("room", title);
                if (topic != null) {
                    room.put("topic", topic);
                }
                room.put("exported", when);
                try {
                    out.append(json.writeValueAsString(room)).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case HTML -> {
                out.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                    .append("<title>").append(html(title)).append(" · transcript</title>\n<style>\n").append(STYLE)
                    .append("</style>\n</head>\n<body>\n<header>\n<h1>").append(html(title)).append("</h1>\n");
                if (topic != null) {
                    out.append("<p class=\"topic\">").append(html(topic)).append("</p>\n");
                }
                out.append("<p class=\"exported\">Transcript exported <time datetime=\"").append(when).append("\">")
                    .append(html(when)).append("</time> (times in UTC). ✓ marks a verified sender (it held its name), ")
                    .append("(human) a person.</p>\n</header>\n<main>\n");
            }
        }
    }

    private void message(StringBuilder out, ChatMessage m, List<String> ackedBy) {
        switch (format) {
            case MARKDOWN -> {
                out.append("\n**#").append(m.id()).append("** · ").append(time(m)).append(" · **")
                    .append(markdown(m.agent())).append("**").append(m.verified() ? " ✓" : "")
                    .append(human(m) ? " *(human)*" : "");
                if (!m.to().isEmpty()) {
                    out.append(" → ").append(markdown(String.join(", ", m.to())));
                }
                if (m.replyTo() != null) {
                    out.append(" · in reply to #").append(m.replyTo());
                }
                if (!ackedBy.isEmpty()) {
                    out.append(" · acknowledged by ").append(markdown(String.join(", ", ackedBy)));
                }
                out.append("\n\n");
                MarkdownQuote.append(out, List.of(LINE_BREAK.split(m.text(), -1)));
            }
            case JSONL -> out.append((ackedBy.isEmpty() ? m : messages.withAcks(m, ackedBy)).json()).append('\n');
            case HTML -> {
                out.append("<article id=\"m").append(m.id()).append("\">\n<p class=\"meta\"><a class=\"id\" href=\"#m")
                    .append(m.id()).append("\">#").append(m.id()).append("</a> <time datetime=\"")
                    .append(Timestamps.format(m.timestamp())).append("\">").append(time(m)).append("</time> <b>")
                    .append(html(m.agent())).append("</b>");
                if (m.verified()) {
                    out.append(" <span class=\"verified\" title=\"verified: the sender held this name\">✓</span>");
                }
                if (human(m)) {
                    out.append(" <span class=\"kind\">(human)</span>");
                }
                if (!m.to().isEmpty()) {
                    out.append(" <span class=\"to\">→ ").append(html(String.join(", ", m.to()))).append("</span>");
                }
                if (m.replyTo() != null) {
                    out.append(" <a class=\"reply\" href=\"#m").append(m.replyTo()).append("\">in reply to #")
                        .append(m.replyTo()).append("</a>");
                }
                if (!ackedBy.isEmpty()) {
                    out.append(" <span class=\"acks\">acknowledged by ").append(html(String.join(", ", ackedBy))).append("</span>");
                }
                out.append("</p>\n<div class=\"text\" dir=\"auto\">")
                    .append(html(LINE_BREAK.matcher(m.text()).replaceAll("\n"))).append("</div>\n</article>\n");
            }
        }
    }

    private void tail(StringBuilder out) {
        if (format == Format.HTML) {
            out.append("</main>\n</body>\n</html>\n");
        }
    }

    private static boolean human(ChatMessage m) {
        return Draft.HUMAN.equals(m.kind());
    }

    /** The message's time as people read it, in UTC to the second. */
    private static String time(ChatMessage m) {
        String full = Timestamps.format(m.timestamp());
        return full.substring(0, 10) + " " + full.substring(11, 19);
    }

    private static String oneLine(String text) {
        return VisibleText.of(LINE_BREAK.matcher(text).replaceAll(" "));
    }

    /** A name in Markdown: its characters that would format are escaped. */
    private static String markdown(String text) {
        return oneLine(text).replaceAll("([\\\\`*_\\[\\]<>#|])", "\\\\$1");
    }

    /** Text escaped for HTML element content and attribute values, its control characters shown as U+FFFD. */
    static String html(String raw) {
        return entities(VisibleText.of(raw));
    }

    /** {@code &}, {@code <}, {@code >} and the quotes as entities. */
    private static String entities(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String shortened(String text) {
        String line = oneLine(text);
        return line.length() > 32 ? line.substring(0, 32) + "…" : line;
    }

    /** The page's style: readable on screen, compact on paper, nothing fetched from elsewhere. */
    private static final String STYLE = """
        :root { color-scheme: light dark; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
        header { border-bottom: 1px solid #8884; margin-bottom: 1rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
        .topic { font-size: 1.1rem; margin: .25rem 0; }
        .exported { color: #777; font-size: .85rem; }
        article { padding: .5rem 0; border-bottom: 1px solid #8882; break-inside: avoid; }
        .meta { margin: 0; font-size: .85rem; color: #777; }
        .meta b { color: CanvasText; font-size: .95rem; }
        .meta a { color: inherit; text-decoration: none; }
        .meta a.reply { text-decoration: underline dotted; }
        .verified { color: #2a7; font-weight: bold; }
        .kind { font-style: italic; }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: .15rem; }
        @media print {
          body { margin: 0; max-width: none; font-size: 11pt; }
          .meta, .exported { color: #444; }
          a { color: inherit; }
        }
        """;
}
