package dev.agentchat.rooms;

import dev.agentchat.agents.Presence;
import dev.agentchat.room.Room;

/**
 * A named room as this instance serves it.
 *
 * @param name         the room's name
 * @param passwordHash its password, as {@link PasswordHash} encodes it; null for the server's own room,
 *                     whose password is each instance's {@code --password}
 * @param createdAt    when it was created (epoch millis): a room re-created under the same name is another room
 * @param room         its messages
 * @param presence     who is in it, as seen by this instance
 */
public record HostedRoom(String name, String passwordHash, long createdAt, Room room, Presence presence) {
}
