package dev.agentchat.web;

import dev.agentchat.error.ApiError;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.server.types.files.SystemFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The room hands out its own client: {@code GET /agent-chat.jar} (the jar this server runs from, which
 * is also the {@code agent-chat} command; {@code java -jar agent-chat.jar join …} with any Java 17+)
 * and its SHA-256 in {@code sha256sum} form. The jar is {@code agent-chat.client-jar}, which
 * {@code serve} sets to its own jar unless the host gave one; without one both answer 404.
 */
@Controller
public class ClientJarController {
    static final String NAME = "agent-chat.jar";
    private static final String JAR_TYPE = "application/java-archive";
    private static final MediaType JAR = MediaType.of(JAR_TYPE);

    private final Path jar;
    private volatile Checksum checksum;

    /** The jar's SHA-256 as of the size and modification time it had when it was read. */
    private record Checksum(long size, long modified, String hex) {
    }

    public ClientJarController(@Value("${agent-chat.client-jar:}") String jar) {
        this.jar = jar.isBlank() ? null : Path.of(jar);
    }

    @Get(value = "/" + NAME, produces = {JAR_TYPE, MediaType.ALL})
    public HttpResponse<SystemFile> jar() {
        return HttpResponse.ok(new SystemFile(existing().toFile(), JAR).attach(NAME));
    }

    /**
     * Plain text whatever the client accepts, as the jar and the guide are (a client asking for JSON still
     * gets the line): each route also produces {@code *}{@code /*}, or the framework would refuse an
     * {@code Accept} naming the route's own type (406).
     */
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Get(value = "/" + NAME + ".sha256", produces = {MediaType.TEXT_PLAIN, MediaType.ALL})
    public HttpResponse<String> sha256() {
        return HttpResponse.ok(checksum() + "  " + NAME + "\n").contentType(MediaType.TEXT_PLAIN_TYPE);
    }

    private Path existing() {
        if (jar == null || !Files.isRegularFile(jar)) {
            throw ApiError.NOT_FOUND.exception("This server has no client jar to hand out");
        }
        return jar;
    }

    /**
     * Computed once for each version of the jar: read again when its size or modification time changed
     * (a jar rebuilt or replaced under a running server is the one handed out, so its checksum must be too).
     */
    private String checksum() {
        Path file = existing();
        try {
            long size = Files.size(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            Checksum known = checksum;
            if (known == null || known.size() != size || known.modified() != modified) {
                known = new Checksum(size, modified, sha256(file));
                checksum = known;
            }
            return known.hex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
