package dev.agentchat.cli.follow;

/** How {@code listen} and {@code join} follow the room. */
public enum Transport {
    /** Server-Sent Events, falling back to long-poll when the stream is blocked (e.g. by a proxy). */
    AUTO,
    /** Server-Sent Events only. */
    SSE,
    /** Long-poll only. */
    POLL
}
