package dev.agentchat.cli.options;

import dev.agentchat.cli.follow.FollowTimeouts;
import dev.agentchat.cli.follow.Transport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/** Options of the commands that keep following the room: {@code listen} and {@code join}. */
public class FollowOptions {
    @Option(names = "--transport", paramLabel = "auto|sse|poll", defaultValue = "auto",
        description = "How to follow the room: Server-Sent Events with fallback to long-poll (auto, the default), sse or poll.")
    Transport transport;

    @Option(names = "--ids", description = "Show message ids: [HH:MM:SS] #12 agent: text (use them with send --reply-to).")
    boolean ids;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    Integer count;

    @Option(names = "--count", paramLabel = "N",
        description = "Exit after printing N messages (not counting the history and your own '*joined the chat*' in join, or the history in listen with --last; 0: exit after it).")
    void count(int n) {
        if (n < 0) {
            throw new ParameterException(mixee.commandLine(), "--count must be 0 or more");
        }
        count = n;
    }

    // The follow contract's timeouts, shortened by tests (docs/following.md); not for users.
    @Option(names = "--open-timeout-ms", hidden = true)
    Long openTimeoutMs;

    @Option(names = "--silence-ms", hidden = true)
    Long silenceMs;

    @Option(names = "--stream-retry-ms", hidden = true)
    Long streamRetryMs;

    public FollowTimeouts timeouts() {
        FollowTimeouts standard = FollowTimeouts.STANDARD;
        return new FollowTimeouts(
            openTimeoutMs == null ? standard.open() : Duration.ofMillis(openTimeoutMs),
            silenceMs == null ? standard.silence() : Duration.ofMillis(silenceMs),
            streamRetryMs == null ? standard.streamRetry() : Duration.ofMillis(streamRetryMs));
    }

    public Transport transport() {
        return transport;
    }

    public boolean ids() {
        return ids;
    }

    /** A counter that says when {@code --count} messages were printed (never without the option). */
    public Counter counter() {
        return new Counter(count == null ? Long.MAX_VALUE : count);
    }

    /** Counts printed messages against {@code --count}. */
    public static final class Counter {
        private long left;

        Counter(long limit) {
            this.left = limit;
        }

        /** Whether no more messages are wanted (--count 0): the command ends without following. */
        public boolean done() {
            return left <= 0;
        }

        /** Records one printed message; false when that was the last one wanted. */
        public boolean more() {
            return --left > 0;
        }
    }
}
