package dev.agentchat.coordination;

/**
 * The loop brake's state: agent messages since the last human one, the room's limit (0: off), and
 * whether agent posts are refused now.
 */
public record Brake(int agentTurns, int limit, boolean engaged) {

    public static Brake of(int agentTurns, int limit) {
        return new Brake(agentTurns, limit, limit > 0 && agentTurns >= limit);
    }
}
