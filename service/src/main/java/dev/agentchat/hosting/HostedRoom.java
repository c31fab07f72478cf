package dev.agentchat.hosting;

import dev.agentchat.auth.PasswordHash;
import dev.agentchat.coordination.Coordination;
import dev.agentchat.messages.ReadCursors;
import dev.agentchat.presence.Presence;
import dev.agentchat.room.Room;

/**
 * A room as this instance serves it: the server's own room ({@link RoomName#SERVER}) and every named
 * room alike.
 *
 * @param name         the room's name
 * @param passwordHash its password, as {@link PasswordHash} encodes it
 * @param createdAt    when it was created (epoch millis): a room re-created under the same name is another room
 * @param room         its messages
 * @param presence     who is in it: recorded through this instance, listed across every instance sharing the room
 * @param cursors      how far each agent has read it (shared by every instance serving the room)
 * @param coordination its acknowledgements and work claims (shared by every instance serving the room)
 */
public record HostedRoom(String name, String passwordHash, long createdAt, Room room, Presence presence,
                         ReadCursors cursors, Coordination coordination) {
}
