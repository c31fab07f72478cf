package dev.agentchat.redis;

import java.util.List;

/**
 * The Redis keys of agent-chat. Room names are letters, digits, '-' and '_', so they never contain
 * the ':' that separates the parts. Every key of a room expires with it.
 */
public final class RedisKeys {
    public static final String PREFIX = "agent-chat:";
    /** Sorted set of live room names, scored by the time they expire (epoch millis); for the caps. */
    public static final String ROOMS = PREFIX + "rooms";
    /** The ends of the rooms' pub/sub channel names. */
    public static final String MESSAGES = ":messages";
    public static final String PRESENCE_EVENTS = ":presence-events";
    /** Pub/sub channel of what the host does to names (kick, mute, unmute) in any room, and of names claimed (lines of {@code Names}). */
    public static final String MODERATION = PREFIX + "names:moderation";
    public static final String COORDINATION_EVENTS = ":coordination-events";

    private RedisKeys() {
    }

    /** Hash: password (the slow hash), creator, created (epoch millis). */
    public static String meta(String room) {
        return PREFIX + "room:" + room;
    }

    /** String: the last message id (INCR). */
    public static String sequence(String room) {
        return PREFIX + "room:" + room + ":seq";
    }

    /** Stream: the retained messages, entry id {@code <message id>-0}, field {@code m} = message JSON. */
    public static String log(String room) {
        return PREFIX + "room:" + room + ":log";
    }

    /**
     * String: the id of the message a sender posted under its key ({@code sender} is the name in lower
     * case and the key, {@code room.SentKeys}); it expires on its own, after ten minutes.
     */
    public static String sent(String room, String sender) {
        return PREFIX + "room:" + room + ":sent:" + sender;
    }

    /** Hash: one presence snapshot per instance (field = instance id). */
    public static String presence(String room) {
        return PREFIX + "room:" + room + ":presence";
    }

    /** Pub/sub channel of the room's new messages (the JSON). */
    public static String channel(String room) {
        return PREFIX + "room:" + room + MESSAGES;
    }

    /** Pub/sub channel of the room's joined and left events. */
    public static String presenceChannel(String room) {
        return PREFIX + "room:" + room + PRESENCE_EVENTS;
    }

    /** Hash: message id to the JSON array of who acknowledged it. */
    public static String acks(String room) {
        return PREFIX + "room:" + room + ":acks";
    }

    /** Sorted set of the acknowledged message ids (score = id), to forget the oldest beyond the cap. */
    public static String acked(String room) {
        return PREFIX + "room:" + room + ":acked";
    }

    /** String: the JSON array of the room's claims (replaced by compare-and-set). */
    public static String claims(String room) {
        return PREFIX + "room:" + room + ":claims";
    }

    /** Hash: each agent's read cursor (field = lower-case name, {@code @} before it for mentions only; value = message id). */
    public static String cursors(String room) {
        return PREFIX + "room:" + room + ":cursors";
    }

    /** Hash: each agent's read receipt (field = lower-case name; value = the newest message id it was given, only grows). */
    public static String receipts(String room) {
        return PREFIX + "room:" + room + ":receipts";
    }

    /** String: agent messages since the last human one (the loop brake's count). */
    public static String brake(String room) {
        return PREFIX + "room:" + room + ":brake";
    }

    /** Every key a room stores (its names aside, which live under its identity): what ending it deletes. */
    public static List<String> stored(String room) {
        return List.of(meta(room), sequence(room), log(room), presence(room), acks(room), acked(room),
            claims(room), cursors(room), receipts(room), brake(room));
    }

    /** Pub/sub channel of the room's acknowledgements and claims ({@code name\njson}). */
    public static String coordinationChannel(String room) {
        return PREFIX + "room:" + room + COORDINATION_EVENTS;
    }

    /** The room a channel of that kind ({@link #MESSAGES}, {@link #PRESENCE_EVENTS}, {@link #COORDINATION_EVENTS}) belongs to, or null. */
    public static String roomOfChannel(String channel, String tail) {
        String head = PREFIX + "room:";
        if (!channel.startsWith(head) || !channel.endsWith(tail) || channel.length() <= head.length() + tail.length()) {
            return null;
        }
        return channel.substring(head.length(), channel.length() - tail.length());
    }

    /**
     * The keys of a room's names ({@code dev.agentchat.names}), under its identity ({@code name:createdAt},
     * so a re-created room starts afresh): {@code claim:<name>} (hash: name, kind, token hash, used),
     * {@code token:<hash>} (the name), {@code ended:<hash>}, {@code block:<name>}, {@code mute:<name>},
     * {@code session:<hash>}, {@code observer}, and {@code claims} (set of the claimed names). Each expires.
     */
    public static String names(String roomKey, String part) {
        return PREFIX + "names:" + roomKey + ":" + part;
    }

    /** Hash: one token bucket of the rate limits (tokens, at: Redis time in µs); {@code key} is the limit and its subject. */
    public static String bucket(String key) {
        return PREFIX + "limit:" + key;
    }

    /** Sorted set of the live rooms created from one address, scored by creation expiry. */
    public static String creator(String address) {
        return PREFIX + "creator:" + address;
    }
}
