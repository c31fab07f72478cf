package dev.agentchat.hosting;

import dev.agentchat.room.RoomSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A room shared in Redis keeps the settings it was created with: an instance that joins it adopts
 * them, and says in one line which of its own it ignores.
 */
final class SharedRoomSettings {
    private SharedRoomSettings() {
    }

    /**
     * The line for the settings of {@code own} that differ from the room's stored {@code topic} ("" for
     * none) and {@code maxHistory} ("" when the room has none stored: nothing to differ from).
     */
    static Optional<String> ignored(RoomSettings own, String topic, String maxHistory) {
        List<String> kept = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        if (own.topic() != null && !own.topic().equals(topic)) {
            kept.add(topic.isEmpty() ? "no topic" : "topic \"" + topic + "\"");
            flags.add("--topic");
        }
        if (!maxHistory.isEmpty() && Integer.parseInt(maxHistory) != own.maxHistory()) {
            kept.add("a history of " + maxHistory + " messages");
            flags.add("--max-history " + own.maxHistory());
        }
        if (flags.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("The shared room already exists with " + String.join(" and ", kept) + "; "
            + String.join(" and ", flags) + " ignored");
    }
}
