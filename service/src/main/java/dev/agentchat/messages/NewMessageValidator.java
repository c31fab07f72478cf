package dev.agentchat.messages;

import dev.agentchat.api.model.NewMessage;
import dev.agentchat.error.ApiError;
import dev.agentchat.names.Names;
import dev.agentchat.room.Draft;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.room.SentKeys;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks a posted message against the protocol and the limits, and makes it a {@link Draft}. */
@Singleton
public class NewMessageValidator {
    private static final int MAX_NAME = 64;
    /** The most names a message may be addressed to ({@code to}). */
    public static final int MAX_RECIPIENTS = 32;

    private final RoomSettings settings;

    public NewMessageValidator(RoomSettings settings) {
        this.settings = settings;
    }

    /** What a message over the room's limit is told, by the room and by every client. */
    public static String tooLarge(long bytes, long limit) {
        return tooLarge(String.format(Locale.US, "%,d", bytes), limit);
    }

    /** The same, for a message refused before its text was read (its request was too large): its size is unknown. */
    public static String tooLarge(long limit) {
        return tooLarge(String.format(Locale.US, "over %,d", limit), limit);
    }

    private static String tooLarge(String size, long limit) {
        return String.format(Locale.US, "Message is %s bytes; this room takes at most %,d. Split it or send a file path.",
            size, limit);
    }

    public Draft validate(NewMessage message) {
        String text = message.getText();
        if (text == null || text.isBlank()) {
            // spaces alone say nothing (the CLI and both MCP servers refuse them before sending, too)
            throw ApiError.TEXT_REQUIRED.exception();
        }
        if (text.length() > settings.maxMessageBytes()
            || text.getBytes(StandardCharsets.UTF_8).length > settings.maxMessageBytes()) {
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            throw ApiError.MESSAGE_TOO_LARGE.limit(tooLarge(bytes, settings.maxMessageBytes()), settings.maxMessageBytes());
        }
        String agent = message.getAgent() == null ? Names.ANONYMOUS : message.getAgent();
        requireName(agent);
        List<String> to = new ArrayList<>();
        if (message.getTo() != null) {
            if (message.getTo().size() > MAX_RECIPIENTS) {
                throw ApiError.INVALID_FIELD.exception("At most " + MAX_RECIPIENTS + " names in 'to'");
            }
            for (String name : message.getTo()) {
                requireName(name);
                if (to.stream().noneMatch(name::equalsIgnoreCase)) {
                    to.add(name);
                }
            }
        }
        Long replyTo = message.getReplyTo();
        if (replyTo != null && replyTo < 1) {
            throw ApiError.INVALID_FIELD.exception("'reply_to' must be a message id");
        }
        String kind = message.getKind() == null ? Draft.AGENT : message.getKind().getValue();
        String key = message.getIdempotencyKey();
        if (key != null && !SentKeys.isValidKey(key)) {
            throw ApiError.INVALID_FIELD.exception(SentKeys.KEY_RULE);
        }
        return new Draft(agent, text, List.copyOf(to), replyTo, kind, false, Boolean.TRUE.equals(message.getAckRequested()), key);
    }

    /** Agent names: {@link ApiError#NAME_RULE}. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME) {
            return false;
        }
        int first = name.codePointAt(0);
        int last = name.codePointBefore(name.length());
        // look-alikes of another name: "bob " or "@bob" for bob, an invisible or a right-to-left character
        if (blank(first) || blank(last) || first == '@') {
            return false;
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            // U+FFFD is what bytes that are no UTF-8 (a URL's %ED%A0%80) are read as: it stands for no one's name
            if (hidden(c) || c == 0xFFFD
                || isVariationSelector(c) && (i == 0 || Character.getType(name.codePointBefore(i)) != Character.OTHER_SYMBOL)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /**
     * A character that shows as nothing, or as nothing in particular, so a name holding it passes for
     * the name without it: controls, line and paragraph separators, format characters (bidi marks and
     * overrides, zero-width ones), the combining grapheme joiner, the Hangul fillers, the blank braille
     * pattern, private-use and unassigned code points (noncharacters among them).
     */
    public static boolean hidden(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || type == Character.FORMAT
            || type == Character.PRIVATE_USE || type == Character.UNASSIGNED || type == Character.SURROGATE
            || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800;
    }

    /** A variation selector: it chooses how the character before it looks, and alone shows nothing. */
    public static boolean isVariationSelector(int c) {
        return c >= 0xFE00 && c <= 0xFE0F || c >= 0xE0100 && c <= 0xE01EF;
    }

    private static boolean blank(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static void requireName(String name) {
        if (!isValidName(name)) {
            throw ApiError.INVALID_AGENT.exception();
        }
    }
}
