package dev.agentchat.messages;

import io.micronaut.core.annotation.Nullable;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How far each agent has read one room: the id of the last message it has read, per agent name
 * (case-insensitive), with a separate cursor for reading only what mentions the agent. Kept as
 * long as the room, so what is unread survives an agent's reconnects; the number of agents is capped.
 * Beside them, a read receipt per agent: the newest id it was given by any read, poll or stream that
 * named it ({@link #readUpTo}), which only grows. In memory ({@link MemoryReadCursors}) or in Redis,
 * the same for every instance serving the room ({@link RedisReadCursors}). One per room.
 */
public interface ReadCursors {

    /** The id of the last message the agent has read, if it ever read. */
    OptionalLong get(String agent, boolean mentionsOnly);

    /**
     * Sets the cursor; refused with {@code too_many_cursors} when the room already keeps
     * {@code maxAgents} cursors of each kind and this agent has none.
     */
    void set(String agent, boolean mentionsOnly, long id, int maxAgents);

    /**
     * Records that the agent was given messages up to {@code id} (a receipt only grows). Beyond
     * {@code maxAgents} receipts a new agent's is not kept: a receipt never refuses a read.
     */
    void seen(String agent, long id, int maxAgents);

    /**
     * The newest message id each of {@code agents} has read or was given, by the name as given; an
     * agent that has neither is left out. One read for all of them, whatever their number.
     */
    Map<String, Long> readUpTo(Collection<String> agents);

    /** How far an agent has read, from its receipt and its cursor (either may be missing): the newer, or null. */
    @Nullable
    static Long newer(@Nullable Long receipt, @Nullable Long cursor) {
        if (receipt == null || cursor == null) {
            return receipt == null ? cursor : receipt;
        }
        return Math.max(receipt, cursor);
    }
}
