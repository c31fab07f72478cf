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
 * {@code serve} sets; without one both answer 404.
 */
@Controller
public class ClientJarController {
    static final String NAME = "agent-chat.jar";
    private static final MediaType JAR = MediaType.of("application/java-archive");

    private final Path jar;
    private volatile String checksum;

    public ClientJarController(@Value("${agent-chat.client-jar:}") String jar) {
        this.jar = jar.isBlank() ? null : Path.of(jar);
    }

    @Get("/" + NAME)
    public HttpResponse<SystemFile> jar() {
        return HttpResponse.ok(new SystemFile(existing().toFile(), JAR).attach(NAME));
    }

    @ExecuteOn(TaskExecutors.BLOCKING)
    @Get(value = "/" + NAME + ".sha256", produces = MediaType.TEXT_PLAIN)
    public HttpResponse<String> sha256() {
        return HttpResponse.ok(checksum() + "  " + NAME + "\n");
    }

    private Path existing() {
        if (jar == null || !Files.isRegularFile(jar)) {
            throw ApiError.NOT_FOUND.exception("This server has no client jar to hand out");
        }
        return jar;
    }

    /** Computed once: the jar does not change while the server runs from it. */
    private String checksum() {
        String known = checksum;
        if (known == null) {
            Path file = existing();
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
                known = HexFormat.of().formatHex(digest.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            checksum = known;
        }
        return known;
    }
}
