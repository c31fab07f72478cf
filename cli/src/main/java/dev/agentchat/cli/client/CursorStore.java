package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

    /** The cursor saved under this very URL. */
    public Optional<Checkpoint> load(CursorKey key) {
        return load(key, Optional::empty);
    }

    /**
     * The cursor saved under this URL, else the furthest one saved under another URL of the same room,
     * as its identity {@code roomId} tells (asked for only when a cursor of this agent and scope was
     * saved with one): the room reached at a tunnel's new address or through another instance goes on
     * where it was read to.
     */
    public Optional<Checkpoint> load(CursorKey key, Supplier<Optional<String>> roomId) {
        // a cursor saved before keys had the host in lower case is under the URL as it was written
        Path asWritten = file(key, key.room().base().getHost(), key.room().toString());
        return files.read(file(key)).or(() -> files.read(asWritten)).or(() -> savedElsewhere(key, roomId))
            .map(CursorStore::checkpoint);
    }

    private static Checkpoint checkpoint(Map<?, ?> node) {
        long after = node.get("after") instanceof Number number ? number.longValue() : 0;
        Checkpoint.Anchor anchor = null;
        if (node.get("timestamp") instanceof String own) {
            anchor = new Checkpoint.Anchor(after, OffsetDateTime.parse(own));
        } else if (node.get("anchor_id") instanceof Number id && node.get("anchor_timestamp") instanceof String seen) {
            anchor = new Checkpoint.Anchor(id.longValue(), OffsetDateTime.parse(seen));
        }
        return new Checkpoint(after, anchor);
    }

    private Optional<Map<?, ?>> savedElsewhere(CursorKey key, Supplier<Optional<String>> roomId) {
        List<Map<?, ?>> candidates = files.all().values().stream()
            .filter(node -> node.get(RoomIdentity.FIELD) instanceof String && key.agent().equals(node.get("agent"))
                && key.scope().equals(node.get("scope")) && node.get("after") instanceof Number)
            .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> room = roomId.get();
        return candidates.stream().filter(node -> room.isPresent() && room.get().equals(node.get(RoomIdentity.FIELD)))
            .max(Comparator.comparingLong(node -> ((Number) node.get("after")).longValue()));
    }

    /** Saves the cursor under this URL ({@link #save(CursorKey, Checkpoint, Optional)}), for a room of no known identity. */
    public void save(CursorKey key, Checkpoint checkpoint) {
        save(key, checkpoint, Optional.empty());
    }

    /**
     * Saves the cursor: {@code after}, with {@code timestamp} when the anchor is message {@code after}
     * itself, else its anchor as {@code anchor_id} and {@code anchor_timestamp}; and the room's identity
     * when it is known, so that another URL of the room finds it.
     */
    public void save(CursorKey key, Checkpoint checkpoint, Optional<String> roomId) {
        Json.ObjectWriter node = Json.object();
        node.put("url", key.room().toString());
        node.put("agent", key.agent());
        node.put("scope", key.scope());
        node.put("after", checkpoint.after());
        roomId.ifPresent(id -> node.put(RoomIdentity.FIELD, id));
        Checkpoint.Anchor anchor = checkpoint.anchor();
        if (checkpoint.timestamp() != null) {
            node.put("timestamp", checkpoint.timestamp().toString());
        } else if (anchor != null) {
            node.put("anchor_id", anchor.id());
            node.put("anchor_timestamp", anchor.timestamp().toString());
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
