package dev.agentchat.hosting;

import dev.agentchat.error.ApiError;

import java.util.regex.Pattern;

/** Room names: 1 to 64 letters, digits, '-' or '_' (they appear in URLs and Redis keys as they are). */
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

    public static String require(String name) {
        if (!isValid(name)) {
            throw ApiError.INVALID_ROOM_NAME.exception();
        }
        return name;
    }
}
