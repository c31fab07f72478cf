package dev.agentchat.coordination;

import dev.agentchat.limits.LimitSettings;

/**
 * The bounds of what a room keeps for coordination.
 *
 * @param claims         live claims per agent and per room
 * @param acksPerMessage names one message's acknowledgements may hold
 * @param ackedMessages  messages whose acknowledgements a room keeps (the newest)
 */
public record CoordinationLimits(ClaimLimits claims, int acksPerMessage, int ackedMessages) {

    /** From the server's limits: a message's acknowledgements are bounded by the agents a room remembers. */
    public static CoordinationLimits of(LimitSettings limits) {
        return new CoordinationLimits(new ClaimLimits(limits.claimsPerAgent(), limits.claimsPerRoom()),
            limits.agentsPerRoom(), limits.ackedMessagesPerRoom());
    }
}
