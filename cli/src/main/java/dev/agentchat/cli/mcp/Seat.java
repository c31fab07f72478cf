package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.Inbox;
import dev.agentchat.cli.client.RoomClient;

/**
 * This agent's place in the room: who it is, how to reach the room, and its read cursors (the
 * same files as {@code agent-chat read} and {@code wait}, so both front ends agree on what is unread).
 */
record Seat(RoomClient client, CursorStore cursors, String agent) {

    /** Whether the room took the password as its observer password ({@link RoomClient#observes}): the seat only reads. */
    boolean observes() {
        return client.observes();
    }

    Inbox inbox(boolean mentionsOnly) {
        return new Inbox(client, cursors, agent, mentionsOnly);
    }
}
