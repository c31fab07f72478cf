package dev.agentchat.presence;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent as {@code GET /agents} lists it, for every surface that shows the room's people as text
 * (both MCP servers' {@code list_agents} and {@code who_has_read}, the CLI's {@code who} and
 * {@code seen}): its presence, its read receipt and what the room's names say of it.
 *
 * @param lastSeen     null for a held name nobody has used yet
 * @param readUpTo     the newest message it has been given; null when none
 * @param waiting      a poll or stream of it is open right now
 * @param held         someone holds the name (with its token)
 * @param kind         {@code agent} or {@code human} for a held name; null otherwise
 * @param muted        the host muted the name
 * @param blockedUntil while the host's kick blocks the name; null otherwise
 */
public record RosterEntry(String name, boolean online, int connections, @Nullable Instant lastSeen,
                          @Nullable Long readUpTo, boolean waiting, boolean held, @Nullable String kind,
                          boolean muted, @Nullable Instant blockedUntil) {

    /** Online, and not removed by the host (a kicked name may count as online a little longer). */
    public boolean here() {
        return online && blockedUntil == null;
    }

    /** Whether its read receipt has reached message #{@code id}. */
    public boolean hasRead(long id) {
        return readUpTo != null && readUpTo >= id;
    }

    /** What the room's names say of it, as words: "held by an agent", "muted"; empty when nothing. */
    public List<String> nameNotes() {
        List<String> notes = new ArrayList<>(2);
        if (held) {
            notes.add("human".equals(kind) ? "held by a person" : "held by an agent");
        }
        if (muted) {
            notes.add("muted");
        }
        return notes;
    }
}
