package dev.agentchat.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A started server gets the JVM options the launcher gives {@code serve}, as the launcher decides them. */
class StartedServerOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theOptionsFileComesFirstAndTheArchiveOnlyWhileNewerThanTheJar() throws IOException {
        Path jar = Files.writeString(dir.resolve("agent-chat.jar"), "jar");
        Path archive = Files.writeString(dir.resolve("agent-chat.jsa"), "archive");
        Path options = Files.writeString(dir.resolve("serve.options"), "-XX:+UseSerialGC\n");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));

        assertEquals(List.of("@" + options.toAbsolutePath(), "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off", "-Xmx1g"),
            Bench.serveOptions(jar, options, List.of("-Xmx1g")));

        Files.setLastModifiedTime(archive, FileTime.fromMillis(500_000));
        assertEquals(List.of("@" + options.toAbsolutePath()), Bench.serveOptions(jar, options, List.of()));
    }

    @Test
    void aCollectorNamedOnTheCommandLineReplacesTheOptionsFile() throws IOException {
        Path jar = Files.writeString(dir.resolve("agent-chat.jar"), "jar");
        Path options = Files.writeString(dir.resolve("serve.options"), "-XX:+UseSerialGC\n");

        assertEquals(List.of("-XX:+UseG1GC"), Bench.serveOptions(jar, options, List.of("-XX:+UseG1GC")));
        assertEquals(List.of(), Bench.serveOptions(jar, dir.resolve("missing.options"), List.of()));
    }
}
