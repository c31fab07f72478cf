package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Read cursors on disk, one small JSON file per {@link CursorKey} under
 * {@code $XDG_STATE_HOME/agent-chat/cursors} (default {@code ~/.local/state/agent-chat/cursors}).
 * Files are replaced atomically so a killed {@code wait} never leaves half a cursor.
 */
public final class CursorStore {
    private final Path dir;

    public CursorStore(Path dir) {
        this.dir = dir;
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
        return dir;
    }

    /** The tokens of claimed names, kept beside the cursors (the agent's state for each room). */
    public NameTokens tokens() {
        Path parent = dir.toAbsolutePath().getParent();
        return new NameTokens((parent == null ? dir : parent).resolve("names"));
    }

    public Optional<Checkpoint> load(CursorKey key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            if (!(Json.parse(Files.readString(file, StandardCharsets.UTF_8)) instanceof Map<?, ?> node)) {
                return Optional.empty();
            }
            Object timestamp = node.get("timestamp");
            return Optional.of(new Checkpoint(node.get("after") instanceof Number after ? after.longValue() : 0,
                timestamp instanceof String text ? OffsetDateTime.parse(text) : null));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable cursor is treated as no cursor
        }
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
        Path file = file(key);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, node + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the read cursor in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A readable, collision-free file name: host, port, agent and a hash of the whole key. */
    Path file(CursorKey key) {
        String readable = (key.room().base().getHost() + "-" + key.room().base().getPort() + "-" + key.agent()
            + "-" + key.scope()).replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(readable + "-" + hash(key.room() + "\n" + key.agent() + "\n" + key.scope()) + ".json");
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
