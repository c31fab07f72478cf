package dev.agentchat.cli.follow;

import java.time.Duration;

/**
 * The timeouts of the follow contract ({@code docs/following.md}); tests shorten them.
 *
 * @param open        how long the stream may take to send its first line before it counts as blocked
 * @param silence     how long an open stream may send nothing (keepalives come every 15 s) before it counts as lost
 * @param streamRetry while long-polling, how often to try the stream again
 */
public record FollowTimeouts(Duration open, Duration silence, Duration streamRetry) {
    public static final FollowTimeouts STANDARD =
        new FollowTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(45), Duration.ofSeconds(30));
}
