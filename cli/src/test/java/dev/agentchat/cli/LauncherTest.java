package dev.agentchat.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkout's {@code agent-chat} launcher finds the jar beside itself however it is called: by
 * its path, or through links put on the PATH. It runs here in a checkout of its own with an
 * up-to-date jar (so it builds nothing) and a {@code java} that prints what it was given.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "agent-chat").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private Path checkout;
    private Path bin;
    private Path fakeJava;

    @BeforeEach
    void checkoutWithAJarAndAJavaThatEchoes() throws IOException {
        checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(LAUNCHER, checkout.resolve("agent-chat"));
        Files.writeString(Files.createDirectories(checkout.resolve("cli/target")).resolve("agent-chat.jar"), "a jar");
        bin = Files.createDirectories(dir.resolve("bin"));
        Path tools = Files.createDirectories(dir.resolve("tools"));
        fakeJava = tools.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\necho \"java $*\"\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void calledByItsPathItRunsTheJarBesideIt() throws Exception {
        assertRunsTheCheckoutsJar(run(checkout.resolve("agent-chat").toString(), dir));
    }

    @Test
    void linkedOntoThePathWithAnAbsoluteLinkItRunsTheJarOfTheCheckout() throws Exception {
        Files.createSymbolicLink(bin.resolve("agent-chat"), checkout.resolve("agent-chat"));

        assertRunsTheCheckoutsJar(run("agent-chat", dir));
    }

    @Test
    void linkedThroughRelativeLinksItRunsTheJarOfTheCheckout() throws Exception {
        Files.createSymbolicLink(bin.resolve("chat"), Path.of("..", "checkout", "agent-chat"));
        Files.createSymbolicLink(bin.resolve("agent-chat"), Path.of("chat"));

        assertRunsTheCheckoutsJar(run("agent-chat", dir));
        assertRunsTheCheckoutsJar(run("./agent-chat", bin));
    }

    private void assertRunsTheCheckoutsJar(String out) throws IOException {
        Matcher java = Pattern.compile("java .* -jar (\\S+) --version\n").matcher(out);
        assertTrue(java.matches(), out);
        assertEquals(checkout.resolve("cli/target/agent-chat.jar").toRealPath(), Path.of(java.group(1)).toRealPath());
    }

    /**
     * Runs {@code command --version} from a shell in {@code workingDirectory}, with {@code bin} and the
     * echoing java first on its PATH (the shell finds the command there, as a user's would).
     */
    private String run(String command, Path workingDirectory) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command + " --version"))
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + fakeJava.getParent() + ":" + System.getenv("PATH"));
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher did not end");
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
