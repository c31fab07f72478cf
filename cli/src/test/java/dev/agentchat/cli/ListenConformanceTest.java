package dev.agentchat.cli;

import dev.agentchat.client.testkit.FollowConformance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code agent-chat listen} against the follow contract (docs/following.md). */
class ListenConformanceTest extends FollowConformance {
    @TempDir
    static Path state;

    @Override
    protected Follower follow(String url, String password) {
        CliRunner.Running listen = new CliRunner(state).start("listen", "-u", url, "-p", password,
            "--open-timeout-ms", Long.toString(OPEN_TIMEOUT.toMillis()),
            "--silence-ms", Long.toString(SILENCE.toMillis()),
            "--stream-retry-ms", Long.toString(STREAM_RETRY.toMillis()));
        return new Follower() {
            @Override
            public List<String> texts() {
                // "[HH:MM:SS] agent: text"
                return Arrays.stream(listen.lines()).map(line -> line.substring(line.indexOf(": ", 11) + 2)).toList();
            }

            @Override
            public String error() {
                return listen.exit().isDone() && listen.exit().join() != 0 ? listen.err() : null;
            }

            @Override
            public boolean reportedALoss() {
                return listen.err().contains("Connection lost");
            }

            @Override
            public void close() {
                System.out.println("---- listen's stderr ----\n" + listen.err());
                listen.thread().interrupt();
            }
        };
    }
}
