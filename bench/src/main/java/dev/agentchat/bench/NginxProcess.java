package dev.agentchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nginx with the nchan module, the peer the benchmark compares agent-chat with: an nginx.conf of the
 * benchmark's own in a temporary directory (pid file, error log and temp paths there too; the
 * system's configuration is never read), {@code daemon off}, on a free loopback port, as many
 * workers as cores. One channel, {@code room}, shaped like an agent-chat room: posts on
 * {@code /messages}, SSE on {@code /messages/stream}, long-poll on {@code /messages/poll}, a
 * 10,000-message buffer, new subscribers starting at the next message. Installs nothing: when nginx
 * or the module is missing, {@link #find()} says so.
 */
final class NginxProcess implements AutoCloseable {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path NCHAN_MODULE = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");
    /** The channel's message buffer: as many messages as an agent-chat room keeps by default. */
    static final int MESSAGE_BUFFER = 10_000;

    /** Where nginx and its nchan module are. */
    record Installation(Path nginx, Path module) {
    }

    private final Process process;
    private final Target target;
    private final Path dir;
    private final int workers;

    /** Stops nginx should the benchmark be interrupted (Ctrl-C) before {@link #close()}. */
    private final Thread stopAtExit;

    private NginxProcess(Process process, Target target, Path dir, int workers) {
        this.process = process;
        this.target = target;
        this.dir = dir;
        this.workers = workers;
        this.stopAtExit = new Thread(this::stop, "stop-nginx");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** nginx and the nchan module at Debian's paths ({@code nginx}, {@code libnginx-mod-nchan}), if both are there. */
    static Optional<Installation> find() {
        if (Files.isExecutable(NGINX) && Files.isRegularFile(NCHAN_MODULE)) {
            return Optional.of(new Installation(NGINX, NCHAN_MODULE));
        }
        return Optional.empty();
    }

    /**
     * Writes the configuration into {@code dir}, starts nginx in the foreground and waits for its
     * {@code /health}.
     *
     * @param openFiles the open-file limit of each worker; each takes that many connections less a few
     */
    static NginxProcess start(Installation installation, Path dir, int workers, long openFiles) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir);
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, configuration(installation.module(), dir, port, workers, openFiles));
        Path log = dir.resolve("nginx.out");
        Process process = new ProcessBuilder(List.of(installation.nginx().toString(), "-p", dir + "/",
            "-c", conf.toString(), "-e", dir.resolve("error.log").toString()))
            .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Target target = new Target(URI.create("http://127.0.0.1:" + port), "unused-by-nchan");
        NginxProcess nginx = new NginxProcess(process, target, dir, workers);
        Control control = new Control(target);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!control.healthy()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                nginx.close();
                throw new BenchException("nginx with nchan did not start; see " + log + " and " + dir.resolve("error.log"));
            }
            ServerProcess.sleep(20);
        }
        return nginx;
    }

    static String configuration(Path module, Path dir, int port, int workers, long openFiles) {
        long connections = Math.max(1024, openFiles - 64);
        return """
            load_module %1$s;
            daemon off;
            master_process on;
            worker_processes %2$d;
            worker_rlimit_nofile %3$d;
            pid %4$s/nginx.pid;
            error_log %4$s/error.log warn;
            events {
              worker_connections %5$d;
              multi_accept on;
            }
            http {
              access_log off;
              client_body_temp_path %4$s/client_body;
              proxy_temp_path %4$s/proxy;
              fastcgi_temp_path %4$s/fastcgi;
              uwsgi_temp_path %4$s/uwsgi;
              scgi_temp_path %4$s/scgi;
              server {
                listen 127.0.0.1:%6$d;
                location = /health {
                  return 200 "ok\\n";
                }
                location = /messages {
                  nchan_publisher;
                  nchan_channel_id room;
                  nchan_message_buffer_length %7$d;
                  nchan_message_timeout 1h;
                }
                location = /messages/stream {
                  nchan_subscriber eventsource;
                  nchan_channel_id room;
                  nchan_subscriber_first_message newest;
                }
                location = /messages/poll {
                  nchan_subscriber longpoll;
                  nchan_channel_id room;
                  nchan_subscriber_first_message newest;
                }
              }
            }
            """.formatted(module, workers, openFiles, dir, connections, port, MESSAGE_BUFFER);
    }

    Target target() {
        return target;
    }

    int workers() {
        return workers;
    }

    Path dir() {
        return dir;
    }

    /** The master and its workers. */
    ProcessGroup processes() {
        return new ProcessGroup(process.pid());
    }

    /** {@code nginx -v}'s answer, e.g. {@code nginx/1.22.1}. */
    static String version(Installation installation) {
        try {
            Process version = new ProcessBuilder(installation.nginx().toString(), "-v").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes()).trim();
            version.waitFor(5, TimeUnit.SECONDS);
            return text.replaceFirst("^nginx version: ", "");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The open-file limit of this process ({@code Max open files} of {@code /proc/self/limits}), which nginx inherits. */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? 1_000_000 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 1024;
        }
        return 1024;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /**
     * SIGTERM to the master, which stops its workers (fast shutdown); by force after 10 s, and then
     * the workers it may have left behind too.
     */
    private void stop() {
        List<Long> workerPids = processes().children();
        LocalProcess.stop(process);
        for (long pid : workerPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
