package dev.agentchat.memory;

import dev.agentchat.settings.InvalidSetting;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The memory budgets ({@code agent-chat.memory.*}; docs/limits.md lists them). The defaults are here
 * and nowhere else, as in {@link dev.agentchat.room.RoomSettings}. Sizes are bytes ({@code 64MiB}) or
 * a share of the JVM's maximum heap ({@code 25%}), see {@link ByteSize}: the defaults are shares, so
 * they are safe on a 256 MiB heap and generous on a big one.
 *
 * @param historyTotal   bytes of message history the server keeps across all its rooms
 * @param historyPerRoom bytes of message history one room keeps; older messages are dropped first
 * @param roomReserve    history every room is sure to keep whatever the others hold: a new room is
 *                       refused once the reserves of all rooms would not fit in {@code historyTotal}
 * @param lowHeap        heap in use after a garbage collection above which new work is refused
 *                       ({@code 503 low_memory}) until a collection frees enough
 */
@ConfigurationProperties(MemorySettings.PREFIX)
public record MemorySettings(
    @Bindable(defaultValue = "25%") String historyTotal,
    @Bindable(defaultValue = "5%") String historyPerRoom,
    @Bindable(defaultValue = "1MiB") String roomReserve,
    @Bindable(defaultValue = "85%") String lowHeap) {

    static final String PREFIX = "agent-chat.memory";

    /** Each is a size: a wrong one is refused when the server starts, not at the first room that needs it. */
    public MemorySettings {
        size("history-total", historyTotal);
        size("history-per-room", historyPerRoom);
        size("room-reserve", roomReserve);
        size("low-heap", lowHeap);
    }

    private static void size(String name, String value) {
        try {
            ByteSize.parse(value);
        } catch (IllegalArgumentException notASize) {
            throw InvalidSetting.of(PREFIX + "." + name, value, notASize.getMessage());
        }
    }
}
