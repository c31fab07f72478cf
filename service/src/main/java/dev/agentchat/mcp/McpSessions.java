package dev.agentchat.mcp;

import dev.agentchat.auth.Caller;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.hosting.RoomRegistry;
import dev.agentchat.messages.MemoryReadCursors;
import dev.agentchat.names.Names;
import dev.agentchat.room.Draft;
import io.micronaut.core.annotation.Nullable;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.limits.LimitSettings;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open MCP sessions of every room on this instance, capped per client address and in all
 * ({@link ConnectionSlots}); a session unused for {@code mcp-session-idle} ends.
 */
@Singleton
public class McpSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<String, McpSession> sessions = new ConcurrentHashMap<>();
    private final ConnectionSlots slots;
    private final LimitSettings limits;
    private final Clock clock = Clock.systemUTC();

    private final Names names;

    public McpSessions(ConnectionSlots slots, LimitSettings limits, Names names) {
        this.slots = slots;
        this.limits = limits;
        this.names = names;
    }

    /**
     * A new session for the agent in the room, counted against the current request's address.
     *
     * @param client the MCP client's name, as its {@code initialize} gave it ({@code clientInfo.name}; "" when none)
     */
    McpSession open(HostedRoom room, String agent, Caller caller, @Nullable String bearer, String address,
                    String client) {
        expireIdle();
        ConnectionSlots.Slot slot = startSession(address);
        String name = agent;
        Caller acting = caller;
        String token = null;
        boolean owned = false;
        try {
            if (caller.verified()) {
                name = caller.name();
                token = bearer;
            } else if (caller.readOnly()) {
                // an observer claims no name, and may not read as one someone holds (or the host removed)
                if (!agent.equals(McpSession.NOBODY)) {
                    names.refuseToOthers(RoomRegistry.key(room), agent);
                }
            } else {
                // the session claims its name, as the CLI does: nobody else can speak as it meanwhile;
                // the same MCP client opening another session (a reconnect) from the same address shares the claim
                McpSession sibling = sibling(room, agent, address, client);
                if (sibling != null && stillHolds(room, sibling)) {
                    acting = sibling.caller();
                    token = sibling.token();
                    name = sibling.agent();
                } else {
                    Names.Joined joined = names.join(RoomRegistry.key(room), agent, Draft.AGENT);
                    acting = Caller.holder(joined.name(), joined.kind());
                    token = joined.token();
                    name = joined.name();
                }
                owned = true;
            }
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, room.name(), room.createdAt(), name, acting, token, owned, address,
            client, slot, new McpSession.Activity(clock.millis()), new McpSession.WaitPlaces(), new McpSession.Calls(),
            caller.readOnly() ? new MemoryReadCursors() : null);
        sessions.put(id, session);
        return session;
    }

    /**
     * A place under the session caps. When the address has used all of its own, the session from it
     * that has been quiet longest (no call running) ends and gives its place: many MCP hosts never end
     * a session, so one that reconnects often would otherwise wait out the idle timeout. Only an
     * address whose every session is busy is refused ({@code too_many_mcp_sessions}).
     */
    private ConnectionSlots.Slot startSession(String address) {
        try {
            return slots.startMcpSession();
        } catch (ApiException e) {
            if (e.error() != ApiError.TOO_MANY_MCP_SESSIONS) {
                throw e;
            }
            McpSession quietest = sessions.values().stream()
                .filter(s -> s.address().equals(address) && s.activity().lastQuietUse() != Long.MAX_VALUE)
                .min(Comparator.comparingLong(s -> s.activity().lastQuietUse()))
                .orElseThrow(() -> e);
            close(quietest);
            return slots.startMcpSession();
        }
    }

    /** The session with this id in this room, or {@code mcp_session_not_found}. */
    McpSession find(String id, HostedRoom room) {
        McpSession session = sessions.get(id);
        if (session == null || !session.belongsTo(room)) {
            throw ApiError.MCP_SESSION_NOT_FOUND.exception();
        }
        if (session.activity().idleSince(idleCutoff())) {
            close(session);
            throw ApiError.MCP_SESSION_NOT_FOUND.exception();
        }
        return session;
    }

    void close(McpSession session) {
        if (sessions.remove(session.id(), session)) {
            session.slot().close();
            boolean shared = sessions.values().stream()
                .anyMatch(other -> other.owned() && java.util.Objects.equals(other.token(), session.token()));
            if (session.owned() && !shared) {
                String room = Names.roomKey(session.room(), session.createdAt());
                try {
                    names.leave(room, names.holder(room, session.token()));
                } catch (RuntimeException ended) {
                    // the claim already ended (kicked, expired) or the store is away: it expires by itself
                }
            }
        }
    }

    /** A live session of this room that claimed {@code agent} itself, opened by the same client from {@code address}. */
    @Nullable
    private McpSession sibling(HostedRoom room, String agent, String address, String client) {
        long cutoff = idleCutoff();
        return sessions.values().stream()
            .filter(s -> s.owned() && s.belongsTo(room) && Names.key(s.agent()).equals(Names.key(agent))
                && s.address().equals(address) && s.client().equals(client) && !s.activity().idleSince(cutoff))
            .findFirst().orElse(null);
    }

    /**
     * Whether the sibling's claim still stands: a kicked name is refused ({@code kicked}, while it is
     * blocked), and a claim that ended otherwise (its holder left) is not shared but claimed anew.
     */
    private boolean stillHolds(HostedRoom room, McpSession sibling) {
        try {
            names.holder(RoomRegistry.key(room), sibling.token());
            return true;
        } catch (ApiException e) {
            if (e.error() == ApiError.KICKED) {
                throw e;
            }
            return false;
        }
    }

    long now() {
        return clock.millis();
    }

    public int open() {
        return sessions.size();
    }

    @Scheduled(fixedDelay = "1m", initialDelay = "1m")
    void expireIdle() {
        long cutoff = idleCutoff();
        sessions.values().stream().filter(s -> s.activity().idleSince(cutoff)).forEach(this::close);
    }

    private long idleCutoff() {
        return clock.millis() - limits.mcpSessionIdle().toMillis();
    }
}
