package dev.agentchat.web;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/**
 * A real embedded agent-chat server that a test can stop and start again on the same port, the way
 * a person restarts the service while browsers stay open.
 */
final class RestartableServer implements AutoCloseable {
    private final Map<String, Object> properties;
    private int port = -1;
    private EmbeddedServer server;

    RestartableServer(Map<String, Object> properties) {
        this.properties = Map.copyOf(properties);
    }

    /** Starts on a random port the first time, on the same port after that. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        Map<String, Object> config = new HashMap<>(properties);
        config.put("micronaut.server.port", port);
        // the previous server's socket may take a moment to be released after a restart
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                server = ApplicationContext.run(EmbeddedServer.class, config);
                break;
            } catch (RuntimeException bindFailed) {
                if (port == -1 || System.nanoTime() > deadline) {
                    throw bindFailed;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        port = server.getPort();
    }

    synchronized void stop() {
        if (server != null) {
            server.getApplicationContext().close();
            server = null;
        }
    }

    synchronized String url() {
        return "http://localhost:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
