package dev.agentchat.system;

import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.hosting.RoomStore;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.inject.Singleton;

/**
 * At shutdown (SIGTERM, Ctrl-C, context stop), before the server closes its sockets: refuse new
 * streams and long-polls, and end every open stream so that its client sees a clean end of stream
 * (and reconnects elsewhere or later) instead of a reset connection.
 */
@Singleton
public class ShutdownDrain implements ApplicationEventListener<ShutdownEvent> {
    private final ConnectionSlots slots;
    private final RoomStore rooms;

    public ShutdownDrain(ConnectionSlots slots, RoomStore rooms) {
        this.slots = slots;
        this.rooms = rooms;
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        slots.refuseNew();
        rooms.closeAll();
    }
}
