package dev.agentchat.room;

import dev.agentchat.error.ApiError;
import io.micronaut.core.annotation.Nullable;

import java.util.regex.Pattern;

/** A room's topic as the host may set it: one line of text, at most {@link #MAX_LENGTH} characters. */
public final class RoomTopics {
    /** The longest topic, in characters. */
    public static final int MAX_LENGTH = 500;
    /** What a room without a topic says in its place, wherever the topic is shown ("Topic: none (...)"). */
    public static final String NONE = "none (the host has not said what the room is for)";
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\u2028\u2029]");

    private RoomTopics() {
    }

    /** The topic as it is stored: one line (control characters, line breaks too, become spaces), spaces at either end left out. */
    public static String line(String topic) {
        return CONTROL.matcher(topic).replaceAll(" ").strip();
    }

    /** Whether {@code topic}, as it is stored (its {@link #line}), is at most {@link #MAX_LENGTH} characters. */
    public static boolean fits(String topic) {
        return characters(line(topic)) <= MAX_LENGTH;
    }

    /** Why a topic is refused when it does not {@link #fits fit}: {@code what} names the argument or the setting that gave it. */
    public static String tooLong(String what, String topic) {
        return what + " is " + characters(line(topic)) + " characters; a topic takes at most " + MAX_LENGTH;
    }

    /** The topic to store (null to clear it): its {@link #line}; one that does not {@link #fits fit} is {@code invalid_field}. */
    @Nullable
    public static String check(String topic) {
        if (!fits(topic)) {
            throw ApiError.INVALID_FIELD.exception("Invalid field 'topic': at most " + MAX_LENGTH + " characters");
        }
        String line = line(topic);
        return line.isEmpty() ? null : line;
    }

    /** Characters as people count them: an emoji is one, not the two UTF-16 units Java holds it in. */
    private static int characters(String text) {
        return text.codePointCount(0, text.length());
    }
}
