package dev.agentchat.client.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a test program in another language (node --test, pytest) against a {@link LiveRoom} and
 * fails with its whole output unless it exits 0. The output is echoed so the build log shows
 * each test the program ran.
 */
public final class ScriptRun {

    private ScriptRun() {
    }

    public static void assertPasses(File workingDirectory, Map<String, String> environment, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workingDirectory)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Path log = Files.createTempFile("agent-chat-script", ".log");
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            boolean exited = process.waitFor(3, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            System.out.println("---- " + String.join(" ", command) + " ----\n" + output);
            assertTrue(exited, () -> String.join(" ", command) + " did not finish:\n" + output);
            assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
