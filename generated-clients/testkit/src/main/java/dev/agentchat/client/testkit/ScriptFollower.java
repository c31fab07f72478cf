package dev.agentchat.client.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A follower in another language (a node or python driver script) for {@link FollowConformance}.
 * The script gets the room in {@code AGENT_CHAT_URL} / {@code AGENT_CHAT_PASSWORD} and the timeouts
 * in {@code FOLLOW_SILENCE_MS}, {@code FOLLOW_OPEN_TIMEOUT_MS}, {@code FOLLOW_STREAM_RETRY_MS}; it
 * follows from the room's beginning and writes one line per happening on stdout:
 * {@code message<TAB>text}, {@code error<TAB>why} (then exits), or {@code notice<TAB>what} (a lost
 * connection is a notice that says {@code reconnecting}, a restarted room {@code restarted}, messages
 * the room had dropped {@code truncated REQUESTED OLDEST}).
 */
public final class ScriptFollower implements FollowConformance.Follower {
    private final Process process;
    private final List<String> texts = new ArrayList<>();
    private final StringBuilder log = new StringBuilder();
    private volatile String error;
    private volatile boolean lost;
    private volatile boolean restarted;
    private final List<String> truncations = new ArrayList<>();

    private ScriptFollower(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "script-follower");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * A driver script's start following after {@code after} (-1: live), told or not that its caller
     * reached the room: the environment it reads ({@code FOLLOW_AFTER}, {@code FOLLOW_REACHED_BEFORE}).
     */
    public static Map<String, String> after(long after, boolean reachedBefore) {
        return Map.of("FOLLOW_AFTER", Long.toString(after), "FOLLOW_REACHED_BEFORE", Boolean.toString(reachedBefore));
    }

    /**
     * A driver script's start following after message {@code seen} (its JSON), told or not that its
     * caller reached the room ({@code FOLLOW_AFTER_MESSAGE}, {@code FOLLOW_REACHED_BEFORE}).
     */
    public static Map<String, String> afterMessage(String seen, boolean reachedBefore) {
        return Map.of("FOLLOW_AFTER_MESSAGE", seen, "FOLLOW_REACHED_BEFORE", Boolean.toString(reachedBefore));
    }

    public static ScriptFollower start(File directory, Map<String, String> environment, List<String> command,
                                       String url, String password) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("AGENT_CHAT_URL", url);
        builder.environment().put("AGENT_CHAT_PASSWORD", password);
        builder.environment().put("FOLLOW_SILENCE_MS", Long.toString(FollowConformance.SILENCE.toMillis()));
        builder.environment().put("FOLLOW_OPEN_TIMEOUT_MS", Long.toString(FollowConformance.OPEN_TIMEOUT.toMillis()));
        builder.environment().put("FOLLOW_STREAM_RETRY_MS", Long.toString(FollowConformance.STREAM_RETRY.toMillis()));
        try {
            return new ScriptFollower(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (this) {
                    log.append(line).append('\n');
                    if (line.startsWith("message\t")) {
                        texts.add(line.substring("message\t".length()));
                    }
                    if (line.startsWith("notice\ttruncated ")) {
                        truncations.add(line.substring("notice\ttruncated ".length()));
                    }
                }
                if (line.equals("notice\trestarted")) {
                    restarted = true;
                }
                if (line.startsWith("notice\t") && line.contains("reconnecting")) {
                    lost = true;
                }
                if (line.startsWith("error\t")) {
                    error = line.substring("error\t".length());
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        if (error == null && !process.isAlive() && process.exitValue() != 0) {
            error = "exited with " + process.exitValue() + ":\n" + log;
        }
    }

    @Override
    public synchronized List<String> texts() {
        return List.copyOf(texts);
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public boolean reportedALoss() {
        return lost;
    }

    @Override
    public boolean reportedARestart() {
        return restarted;
    }

    @Override
    public synchronized List<String> truncations() {
        return List.copyOf(truncations);
    }

    /** Everything the script wrote, for a failing test's message. */
    public synchronized String log() {
        return log.toString();
    }

    @Override
    public void close() {
        process.destroy();
        System.out.println("---- follower script output ----\n" + log());
    }
}
