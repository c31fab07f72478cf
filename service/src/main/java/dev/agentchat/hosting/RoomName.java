package dev.agentchat.hosting;

import dev.agentchat.error.ApiError;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Room names: 1 to 64 letters, digits, '-' or '_'. They are case-insensitive, as agents' names are:
 * a room is kept, answered and keyed (in URLs and Redis) by its name in lower case, so
 * {@code /rooms/Design} is the room {@code design} and nobody can make a second room beside it.
 */
public final class RoomName {
    /** The rule, as the API document (parameter {@code RoomName}) and the web UI's new-room form write it too. */
    public static final String PATTERN = "^[A-Za-z0-9_-]{1,64}$";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    /**
     * The server's own room, served at the root paths with the server's {@code --password}: a name
     * no named room can have, the same in memory and in Redis.
     */
    public static final String SERVER = "~server";

    private RoomName() {
    }

    /** What people call the room: its name, or "agent-chat" for the server's own room. */
    public static String title(String name) {
        return SERVER.equals(name) ? "agent-chat" : name;
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** The room's name as it is kept: {@code name} valid, in lower case; else 400 {@code invalid_room_name}. */
    public static String require(String name) {
        if (!isValid(name)) {
            throw ApiError.INVALID_ROOM_NAME.exception();
        }
        return canonical(name);
    }

    /** The name in lower case (the server's own room's name has no letters to change). */
    public static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
