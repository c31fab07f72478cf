package dev.agentchat.messages;

import dev.agentchat.error.ApiError;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each agent has read one room: the id of the last message it has read, per agent name
 * (case-insensitive), with a separate cursor for reading only what mentions the agent. Kept as
 * long as the room, so what is unread survives an agent's reconnects; the number of agents is capped.
 * Beside them, a read receipt per agent: the newest id it was given by any read, poll or stream that
 * named it ({@link #readUpTo}), which only grows.
 */
public final class ReadCursors {
    private final ConcurrentHashMap<String, Long> cursors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> receipts = new ConcurrentHashMap<>();

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

    /**
     * Records that the agent was given messages up to {@code id} (a receipt only grows). Beyond
     * {@code maxAgents} receipts a new agent's is not kept: a receipt never refuses a read.
     */
    public void seen(String agent, long id, int maxAgents) {
        String key = agent.toLowerCase(Locale.ROOT);
        Long before = receipts.get(key);
        if (before != null && before >= id) {
            return;
        }
        if (before == null && receipts.size() >= maxAgents) {
            return;
        }
        receipts.merge(key, id, Math::max);
    }

    /** The newest message id the agent has read or was given, if any. */
    public OptionalLong readUpTo(String agent) {
        String name = agent.toLowerCase(Locale.ROOT);
        Long receipt = receipts.get(name);
        Long cursor = cursors.get(name);
        long best = Math.max(receipt == null ? 0 : receipt, cursor == null ? 0 : cursor);
        return receipt == null && cursor == null ? OptionalLong.empty() : OptionalLong.of(best);
    }

    private static String key(String agent, boolean mentionsOnly) {
        return (mentionsOnly ? "@" : "") + agent.toLowerCase(Locale.ROOT);
    }
}
