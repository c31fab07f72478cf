package dev.agentchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code agent-chat serve} started as a separate JVM on a free loopback port, so the benchmark
 * measures a real start-up and can read the server's memory and CPU.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Target target;
    private final double startupMillis;
    private final double startupCpuMillis;

    private ServerProcess(Process process, Target target, double startupMillis, double startupCpuMillis) {
        this.process = process;
        this.target = target;
        this.startupMillis = startupMillis;
        this.startupCpuMillis = startupCpuMillis;
    }

    /**
     * Starts the server and waits for its first healthy {@code /health}.
     *
     * @param jvmArgs    extra JVM options for the server
     * @param properties configuration passed as {@code -Dkey=value}
     * @param log        where the server's output goes
     */
    static ServerProcess start(Path jar, List<String> jvmArgs, Map<String, String> properties, Path log)
        throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new BenchException(jar + " not found: build it with mvn -q -DskipTests package (or use --url)");
        }
        int port = freePort();
        String password = "bench-" + UUID.randomUUID();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString(), "serve", "--password", password,
            "--host", "127.0.0.1", "--port", Integer.toString(port)));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Target target = new Target(URI.create("http://127.0.0.1:" + port), password);
        Control control = new Control(target);
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        long deadline = launched + TimeUnit.SECONDS.toNanos(60);
        while (!control.healthy()) {
            if (!process.isAlive()) {
                throw new BenchException("the server exited with " + process.exitValue() + " during start-up; see " + log);
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new BenchException("the server did not answer /health within 60 s; see " + log);
            }
            sleep(10);
        }
        double startup = (System.nanoTime() - launched) / 1_000_000.0;
        // CPU time is the start-up figure a busy machine distorts least
        double cpu = new LocalProcess(process.pid()).cpuNanos().orElse(-1) / 1_000_000.0;
        return new ServerProcess(process, target, startup, cpu);
    }

    Target target() {
        return target;
    }

    double startupMillis() {
        return startupMillis;
    }

    /** CPU (user + system, all threads) the server used until its first healthy answer. */
    double startupCpuMillis() {
        return startupCpuMillis;
    }

    LocalProcess local() {
        return new LocalProcess(process.pid());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    @Override
    public void close() {
        LocalProcess.stop(process);
    }
}
