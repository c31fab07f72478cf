package dev.agentchat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code agent-chat} as a real process (java with this test's class path), for signals, exit codes, env and stdin. */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outCopy;
    private final Thread errCopy;

    private CliProcess(Process process) {
        this.process = process;
        outCopy = copy(process.getInputStream(), out);
        errCopy = copy(process.getErrorStream(), err);
    }

    /** Starts {@code agent-chat args} with {@code env} added to a clean environment (no AGENT_CHAT_* from outside). */
    static CliProcess start(Map<String, String> env, String stdin, String... args) throws IOException {
        CliProcess started = startWithOpenStdin(env, args);
        if (stdin != null) {
            started.write(stdin);
        }
        started.closeStdin();
        return started;
    }

    /** Starts {@code agent-chat args} with its stdin left open: {@link #write} to it, {@link #closeStdin} ends it. */
    static CliProcess startWithOpenStdin(Map<String, String> env, String... args) throws IOException {
        return startInJvm(List.of(), env, args);
    }

    /**
     * Starts {@code agent-chat args} in a JVM given {@code jvmOptions} too ({@code -Dkey=value}), with
     * its stdin left open.
     */
    static CliProcess startInJvm(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        return startFrom(System.getProperty("java.class.path"), jvmOptions, env, args);
    }

    /**
     * Starts {@code agent-chat args} from {@code jar} (this test's classes of the command, packed), the
     * rest of this test's class path after it, as a built agent-chat runs from its jar; stdin left open.
     */
    static CliProcess startFromJar(Path jar, Map<String, String> env, String... args) throws IOException {
        return startFrom(jar + java.io.File.pathSeparator + System.getProperty("java.class.path"), List.of(), env, args);
    }

    private static CliProcess startFrom(String classPath, List<String> jvmOptions, Map<String, String> env, String... args)
        throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, AgentChat.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("AGENT_CHAT_"));
        environment.putAll(new HashMap<>(env));
        return new CliProcess(builder.start());
    }

    void write(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private static Thread copy(InputStream from, StringBuffer to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                int n;
                java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
                while ((n = from.read(buffer)) > 0) {
                    pending.write(buffer, 0, n);
                    String text = pending.toString(StandardCharsets.UTF_8);
                    int cut = text.lastIndexOf('\n');
                    if (cut >= 0) {
                        to.append(text, 0, cut + 1);
                        byte[] rest = text.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
                        pending.reset();
                        pending.write(rest, 0, rest.length);
                    }
                }
                to.append(pending.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // process gone
            }
        }, "cli-process-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Waits for the end; -1 when it did not end in time (it is then killed). */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        outCopy.join(5000);
        errCopy.join(5000);
        return process.exitValue();
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
