package dev.agentchat.presence;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who has read message #id, by the one rule every surface uses: an agent whose read receipt reached
 * it, its author and those who acknowledged it (whatever their receipts say).
 *
 * @param read   names that have read it: the roster's first, then the author and acknowledgers it does not list
 * @param notYet the roster's agents that have not
 */
public record Readers(long id, List<String> read, List<RosterEntry> notYet) {

    /**
     * @param author the message's author; null when the history no longer has it
     * @param acks   who acknowledged it
     */
    public static Readers of(long id, @Nullable String author, Collection<String> acks, List<RosterEntry> roster) {
        Set<String> surely = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        if (author != null) {
            surely.add(author);
        }
        surely.addAll(acks);
        List<String> read = new ArrayList<>();
        List<RosterEntry> notYet = new ArrayList<>();
        Set<String> listed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (RosterEntry entry : roster) {
            if (entry.hasRead(id) || surely.contains(entry.name())) {
                read.add(entry.name());
                listed.add(entry.name());
            } else {
                notYet.add(entry);
            }
        }
        surely.stream().filter(name -> !listed.contains(name)).forEach(read::add);
        return new Readers(id, List.copyOf(read), List.copyOf(notYet));
    }
}
