package dev.agentchat.mcp;

import dev.agentchat.auth.Caller;
import dev.agentchat.hosting.HostedRoom;
import io.micronaut.core.annotation.Nullable;
import dev.agentchat.limits.ConnectionSlots;

/**
 * One agent's MCP session in one room: issued at {@code initialize}, named by the
 * {@code Mcp-Session-Id} header after it, ended by {@code DELETE} or after the idle timeout.
 *
 * @param id        the session id, unguessable
 * @param room      the room's name
 * @param createdAt when the room was created: a room re-created under the same name does not inherit sessions
 * @param agent     the agent the session speaks and reads as
 * @param caller    who it acts as: the holder of {@code agent} (claimed at {@code initialize}, or the
 *                  client's own token), or an observer
 * @param token     the name's token when the session claimed the name itself (it leaves the name when
 *                  it ends), else the client's own token, else null
 * @param owned     whether the session claimed the name itself (or shares the claim of one that did)
 * @param address   the client address that opened it
 * @param client    the MCP client's name from its {@code initialize} ("" when it gave none): only the same
 *                  client from the same address shares a claim (a reconnect), not another program there
 * @param slot      its place under the session caps
 * @param activity  when it was last used
 */
record McpSession(String id, String room, long createdAt, String agent, Caller caller, @Nullable String token,
                  boolean owned, String address, String client, ConnectionSlots.Slot slot, Activity activity) {

    boolean belongsTo(HostedRoom hosted) {
        return room.equals(hosted.name()) && createdAt == hosted.createdAt();
    }

    /** When the session was last used, and how many of its calls are running (a running call keeps it alive). */
    static final class Activity {
        private long lastUsed;
        private int running;

        Activity(long now) {
            this.lastUsed = now;
        }

        synchronized void begin(long now) {
            running++;
            lastUsed = now;
        }

        synchronized void end(long now) {
            running = Math.max(0, running - 1);
            lastUsed = now;
        }

        synchronized boolean idleSince(long cutoff) {
            return running == 0 && lastUsed < cutoff;
        }

        /** When it was last used, while none of its calls runs; {@code Long.MAX_VALUE} while one does. */
        synchronized long quietSince() {
            return running == 0 ? lastUsed : Long.MAX_VALUE;
        }
    }
}
