package dev.agentchat.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The tokens of the names this user's agents hold, one small JSON file per room and name beside the
 * read cursors ({@code $XDG_STATE_HOME/agent-chat/names}), readable by the user alone: a restarted
 * agent keeps its name.
 */
public final class NameTokens {
    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();

    public NameTokens(Path dir) {
        this.dir = dir;
    }

    public Optional<String> load(RoomAddress room, String agent) {
        Path file = file(room, agent);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode token = json.readTree(file.toFile()).path("token");
            return token.isTextual() ? Optional.of(token.asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void save(RoomAddress room, String agent, String token) {
        ObjectNode node = json.createObjectNode();
        node.put("url", room.toString());
        node.put("agent", agent);
        node.put("token", token);
        Path file = file(room, agent);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(tmp, json.writeValueAsString(node) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the name's token in " + dir + ": " + e.getMessage(), e);
        }
    }

    public void delete(RoomAddress room, String agent) {
        try {
            Files.deleteIfExists(file(room, agent));
        } catch (IOException e) {
            // a token that cannot be deleted is refused by the server anyway
        }
    }

    /** One file per room and name; names compare case-insensitively, as the server's do. */
    Path file(RoomAddress room, String agent) {
        String key = agent.toLowerCase(java.util.Locale.ROOT);
        String readable = (room.base().getHost() + "-" + room.base().getPort() + "-" + key).replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(readable + "-" + hash(room + "\n" + key) + ".json");
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
