package dev.agentchat.mcp;

import dev.agentchat.error.ApiError;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.limits.LimitSettings;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
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

    public McpSessions(ConnectionSlots slots, LimitSettings limits) {
        this.slots = slots;
        this.limits = limits;
    }

    /** A new session for the agent in the room, counted against the current request's address. */
    McpSession open(HostedRoom room, String agent) {
        expireIdle();
        ConnectionSlots.Slot slot = slots.startMcpSession();
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, room.name(), room.createdAt(), agent, slot,
            new McpSession.Activity(clock.millis()));
        sessions.put(id, session);
        return session;
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
