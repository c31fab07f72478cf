package dev.agentchat.messages;

import dev.agentchat.error.ApiError;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each agent has read one room: the id of the last message it has read, per agent name
 * (case-insensitive), with a separate cursor for reading only what mentions the agent. Kept as
 * long as the room, so what is unread survives an agent's reconnects; the number of agents is capped.
 */
public final class ReadCursors {
    private final ConcurrentHashMap<String, Long> cursors = new ConcurrentHashMap<>();

    /** The id of the last message the agent has read, if it ever read. */
    public OptionalLong get(String agent, boolean mentionsOnly) {
        Long id = cursors.get(key(agent, mentionsOnly));
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /**
     * Sets the cursor; refused with {@code too_many_cursors} when the room already keeps
     * {@code maxAgents} cursors of each kind and this agent has none.
     */
    public void set(String agent, boolean mentionsOnly, long id, int maxAgents) {
        String key = key(agent, mentionsOnly);
        // the size check is not atomic with the insertion: the cap may be passed by a few concurrent first reads
        if (!cursors.containsKey(key) && cursors.size() >= 2L * maxAgents) {
            throw ApiError.TOO_MANY_CURSORS.limit(maxAgents, null);
        }
        cursors.put(key, id);
    }

    private static String key(String agent, boolean mentionsOnly) {
        return (mentionsOnly ? "@" : "") + agent.toLowerCase(Locale.ROOT);
    }
}
