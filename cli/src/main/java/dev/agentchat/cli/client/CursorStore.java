package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Read cursors on disk, one small JSON file per {@link CursorKey} under
 * {@code $XDG_STATE_HOME/agent-chat/cursors} (default {@code ~/.local/state/agent-chat/cursors}).
 * Files are replaced atomically so a killed {@code wait} never leaves half a cursor.
 */
public final class CursorStore {
    private final StateFiles files;

    public CursorStore(Path dir) {
        this.files = new StateFiles(dir, "read cursor");
    }

    /** The store in the user's state directory, from {@code environment} (normally {@link System#getenv()}). */
    public static CursorStore inStateDirectory(Map<String, String> environment) {
        return new CursorStore(stateDirectory(environment).resolve("cursors"));
    }

    /**
     * {@code $XDG_STATE_HOME/agent-chat}, else {@code $HOME/.local/state/agent-chat}, else the same
     * under the JVM's {@code user.home} (which ignores {@code $HOME}).
     */
    public static Path stateDirectory(Map<String, String> environment) {
        String xdg = environment.get("XDG_STATE_HOME");
        String home = environment.get("HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
            : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".local", "state");
        return base.resolve("agent-chat");
    }

    public Path directory() {
        return files.directory();
    }

    /** The tokens of claimed names, kept beside the cursors (the agent's state for each room). */
    public NameTokens tokens() {
        Path dir = files.directory();
        Path parent = dir.toAbsolutePath().getParent();
        return new NameTokens((parent == null ? dir : parent).resolve("names"));
    }

    public Optional<Checkpoint> load(CursorKey key) {
        // a cursor saved before keys had the host in lower case is under the URL as it was written
        Path asWritten = file(key, key.room().base().getHost(), key.room().toString());
        return files.read(file(key)).or(() -> files.read(asWritten)).map(node -> {
            Object timestamp = node.get("timestamp");
            return new Checkpoint(node.get("after") instanceof Number after ? after.longValue() : 0,
                timestamp instanceof String text ? OffsetDateTime.parse(text) : null);
        });
    }

    public void save(CursorKey key, Checkpoint checkpoint) {
        Json.ObjectWriter node = Json.object();
        node.put("url", key.room().toString());
        node.put("agent", key.agent());
        node.put("scope", key.scope());
        node.put("after", checkpoint.after());
        @Nullable OffsetDateTime timestamp = checkpoint.timestamp();
        if (timestamp != null) {
            node.put("timestamp", timestamp.toString());
        }
        files.write(file(key), node);
    }

    /** A readable, collision-free file name: host (in lower case), port, agent and a hash of the whole key. */
    Path file(CursorKey key) {
        return file(key, key.room().keyHost(), key.room().key());
    }

    private Path file(CursorKey key, String host, String url) {
        return files.file(host + "-" + key.room().base().getPort() + "-" + key.agent() + "-" + key.scope(),
            url + "\n" + key.agent() + "\n" + key.scope());
    }
}
