package dev.agentchat.coordination;

/** How many live claims one agent, and one room, may hold. */
public record ClaimLimits(int perAgent, int perRoom) {
}
