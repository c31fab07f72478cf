package dev.agentchat.messages;

import dev.agentchat.error.ApiError;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** A room's {@link ReadCursors} in this process's memory (no Redis). */
public final class MemoryReadCursors implements ReadCursors {
    private final ConcurrentHashMap<String, Long> cursors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> receipts = new ConcurrentHashMap<>();

    @Override
    public OptionalLong get(String agent, boolean mentionsOnly) {
        Long id = cursors.get(key(agent, mentionsOnly));
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public void set(String agent, boolean mentionsOnly, long id, int maxAgents) {
        String key = key(agent, mentionsOnly);
        // the size check is not atomic with the insertion: the cap may be passed by a few concurrent first reads
        if (!cursors.containsKey(key) && cursors.size() >= 2L * maxAgents) {
            throw ApiError.TOO_MANY_CURSORS.limit(maxAgents, null);
        }
        cursors.put(key, id);
    }

    @Override
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

    @Override
    public Map<String, Long> readUpTo(Collection<String> agents) {
        Map<String, Long> found = new HashMap<>();
        for (String agent : agents) {
            String name = agent.toLowerCase(Locale.ROOT);
            Long best = ReadCursors.newer(receipts.get(name), cursors.get(name));
            if (best != null) {
                found.put(agent, best);
            }
        }
        return found;
    }

    private static String key(String agent, boolean mentionsOnly) {
        return (mentionsOnly ? "@" : "") + agent.toLowerCase(Locale.ROOT);
    }
}
