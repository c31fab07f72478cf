package dev.agentchat.presence;

import java.time.Instant;

/** One agent as {@code GET /agents} shows it. */
public record AgentView(String name, boolean online, Instant lastSeen, int connections) {
}
