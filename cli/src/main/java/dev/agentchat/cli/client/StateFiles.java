package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The small JSON files an agent's state is kept in (read cursors, name tokens): one per key in one
 * directory, named readably and without collisions, replaced atomically so a killed command never
 * leaves half a file, readable by the user alone.
 */
final class StateFiles {
    private final Path dir;
    private final String what;

    /** @param what what the files hold, for the error message when one cannot be saved */
    StateFiles(Path dir, String what) {
        this.dir = dir;
        this.what = what;
    }

    Path directory() {
        return dir;
    }

    /** The file for {@code key}: {@code readable} (characters a file name takes) and a hash of the whole key. */
    Path file(String readable, String key) {
        return file(readable, key, ".json");
    }

    /** As {@link #file(String, String)}, with another extension. */
    Path file(String readable, String key, String extension) {
        return dir.resolve(readable.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + hash(key) + extension);
    }

    /** The JSON object in {@code file}; nothing when there is none or it cannot be read. */
    Optional<Map<?, ?>> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Json.parse(Files.readString(file, StandardCharsets.UTF_8)) instanceof Map<?, ?> node
                ? Optional.of(node) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable file is treated as none
        }
    }

    /** Every file of the directory whose JSON object can be read, with that object. */
    Map<Path, Map<?, ?>> all() {
        Map<Path, Map<?, ?>> found = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                read(file).ifPresent(node -> found.put(file, node));
            }
        } catch (IOException e) {
            // an unreadable directory holds nothing
        }
        return found;
    }

    void write(Path file, Json.ObjectWriter node) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(tmp, node + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the " + what + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file that cannot be deleted is replaced or refused later
        }
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
