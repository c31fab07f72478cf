package dev.agentchat.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkout's {@code agent-chat} launcher finds the jar beside itself however it is called: by
 * its path, or through links put on the PATH, and builds a stale jar once however many start together.
 * It runs here in a checkout of its own, with a {@code java} that prints what it was given and an
 * {@code mvn} that counts its builds.
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
        // a build that takes a second and leaves a jar newer than every source
        Path fakeMaven = tools.resolve("mvn");
        Files.writeString(fakeMaven, "#!/bin/sh\necho build >> \"$BUILD_LOG\"\nsleep 1\ntouch cli/target/agent-chat.jar\n");
        Files.setPosixFilePermissions(fakeMaven, PosixFilePermissions.fromString("rwxr-xr-x"));
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

    @Test
    void launchersStartedTogetherOnAStaleJarBuildItOnceAndAllRunIt() throws Exception {
        makeTheJarStale();

        List<Process> launchers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            launchers.add(start(checkout.resolve("agent-chat").toString(), dir));
        }
        for (Process launcher : launchers) {
            assertRunsTheCheckoutsJar(lastLine(finish(launcher)));
        }
        assertEquals(1, builds());
        assertFalse(Files.exists(checkout.resolve("cli/target/.building")), "the build lock is left behind");
    }

    @Test
    void aBuildLockWhoseBuildDiedIsTakenOver() throws Exception {
        makeTheJarStale();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path lock = Files.createDirectories(checkout.resolve("cli/target/.building"));
        Files.writeString(lock.resolve("pid"), gone.pid() + "\n");

        assertRunsTheCheckoutsJar(lastLine(run(checkout.resolve("agent-chat").toString(), dir)));
        assertEquals(1, builds());
    }

    /** The launcher's own last line: the echoing java's (what it tells on stderr about building comes before). */
    private static String lastLine(String out) {
        String trimmed = out.substring(0, out.length() - 1);
        return trimmed.substring(trimmed.lastIndexOf('\n') + 1) + "\n";
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
        return finish(start(command, workingDirectory));
    }

    private Process start(String command, Path workingDirectory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command + " --version"))
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + fakeJava.getParent() + ":" + System.getenv("PATH"));
        builder.environment().put("BUILD_LOG", dir.resolve("builds.log").toString());
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static String finish(Process process) throws Exception {
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher did not end");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    /** How many builds the fake mvn made. */
    private long builds() throws IOException {
        Path log = dir.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    /** A source newer than the jar, so the launcher builds first (with the fake mvn, which takes a second). */
    private void makeTheJarStale() throws IOException {
        Path jar = checkout.resolve("cli/target/agent-chat.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        Path source = Files.writeString(Files.createDirectories(checkout.resolve("cli/src")).resolve("Main.java"), "class Main {}");
        Files.setLastModifiedTime(source, FileTime.fromMillis(2_000_000));
    }
}
