package dev.agentchat.redis;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real redis-server for tests, on a free loopback port, with an append-only file fsynced on every
 * write so that stopping and restarting it keeps what it acknowledged. When no redis-server is
 * installed the test is skipped with a notice, except under CI, where that is a failure.
 */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer startOrSkip() {
        return startOrSkip(new String[0]);
    }

    /** Started with more of redis-server's options, e.g. {@code --requirepass secret}. */
    public static RedisServer startOrSkip(String... options) {
        Optional<Path> binary = find();
        if (binary.isEmpty()) {
            String notice = "redis-server not found on PATH: Redis scale-out tests skipped (apt-get install redis-server)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(notice + "; under CI=true they must run");
            }
            System.err.println("NOTICE: " + notice);
            Assumptions.abort(notice);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                RedisServer server = new RedisServer(binary.get(), Files.createTempDirectory("agent-chat-redis"), freePort());
                server.start(options);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NotStarted e) {
                // the free port was taken before redis-server bound it: another port
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The URL with a password in it: {@code redis://:PASSWORD@127.0.0.1:PORT}. */
    public String url(String password) {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    public void start(String... options) {
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--protected-mode", "no", "--daemonize", "no", "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
        command.addAll(List.of(options));
        try {
            process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // its own log says it listens: a PING alone could be answered by whatever else holds the port
        await().atMost(10, TimeUnit.SECONDS).until(() -> !process.isAlive() || ready() && answersPing());
        if (!process.isAlive()) {
            throw new NotStarted("redis-server on port " + port + " exited: " + log().strip());
        }
    }

    private boolean ready() {
        return log().contains("Ready to accept connections");
    }

    /** What this start of redis-server has written (each start writes the log anew). */
    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** redis-server exited as it started, as it does when its port is taken. */
    static final class NotStarted extends IllegalStateException {
        NotStarted(String message) {
            super(message);
        }
    }

    /** Stalls the server as a stopped process does ({@code SIGSTOP}): its connections stay open and nothing is answered. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a paused server go on ({@code SIGCONT}). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server the way an operator would (SIGTERM), and waits until it is gone. */
    public void stop() {
        if (process == null) {
            return;
        }
        resume(); // a paused server would not hear the SIGTERM
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Sends one command in the inline protocol and returns its reply: the line of a simple reply
     * (e.g. {@code :5}, {@code +OK}), the whole value of a bulk string, or null for a missing value.
     */
    public String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = line(in);
            if (!first.startsWith("$")) {
                return first;
            }
            int length = Integer.parseInt(first.substring(1));
            return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times Redis has run {@code name} since it started (INFO commandstats), from scripts too. */
    public long calls(String name) {
        return info("commandstats", "cmdstat_" + name.toLowerCase(java.util.Locale.ROOT) + ":calls=")
            .map(rest -> Long.parseLong(rest.substring(0, rest.indexOf(',')))).orElse(0L);
    }

    /**
     * How many times Redis has read requests from its clients since it started (INFO stats): one per
     * round trip of a client that waits for each answer, one for many commands sent together.
     */
    public long reads() {
        return info("stats", "total_reads_processed:").map(rest -> Long.parseLong(rest.trim()))
            .orElseThrow(() -> new IllegalStateException("this Redis does not count its reads"));
    }

    /** What follows {@code prefix} on the line of an {@code INFO section} answer that starts with it. */
    private Optional<String> info(String section, String prefix) {
        return command("INFO " + section).lines().filter(l -> l.startsWith(prefix)).findFirst()
            .map(l -> l.substring(prefix.length()));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private boolean answersPing() {
        try {
            String answer = command("PING");
            return "+PONG".equals(answer) || answer.startsWith("-NOAUTH"); // up, asking for its password
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Tears a scale-out test down: closes the instances, then Redis, in the order given, skipping
     * those the test never started.
     */
    public static void closeAll(AutoCloseable... started) throws Exception {
        for (AutoCloseable part : started) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin:/usr/sbin";
        return Stream.of(path.split(":"))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, "redis-server"))
            .filter(Files::isExecutable)
            .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
