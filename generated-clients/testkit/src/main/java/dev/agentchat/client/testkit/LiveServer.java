package dev.agentchat.client.testkit;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.netty.channel.EventLoopGroup;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

/**
 * The one way tests start a real agent-chat server: in this JVM, on a random port, with a room password
 * and any extra configuration properties, and the host key {@link #HOST_KEY} (creating a named room needs
 * it: send {@code Authorization: Bearer} {@link #hostKey()}). It can be stopped and restarted on the same port (a fresh,
 * empty room), the way a person restarts the service while clients stay pointed at it.
 *
 * <p>The server itself comes from whatever agent-chat service is on the test class path; this module
 * only needs Micronaut's {@link EmbeddedServer}, so the service's own tests can use it too.
 */
public final class LiveServer implements AutoCloseable {
    /** The host key every test server has unless its properties set another ({@code agent-chat.host-key}). */
    public static final String HOST_KEY = "test-host-key-0123456789";
    private static final String HOST = "micronaut.server.host";
    private static final String HOST_KEY_PROPERTY = "agent-chat.host-key";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String password;
    private final Map<String, Object> properties;
    private final String host;
    private volatile EmbeddedServer server;
    private volatile int port;
    private List<EventLoopGroup> stoppedLoops = List.of();

    private LiveServer(String password, Map<String, Object> properties) {
        this.password = password;
        this.properties = Map.copyOf(properties);
        this.host = String.valueOf(properties.getOrDefault(HOST, "localhost"));
    }

    /** A server with the given room password and no other settings. */
    public static LiveServer start(String password) {
        return start(password, Map.of());
    }

    /**
     * A server with the given room password and extra properties ({@code micronaut.server.host} is honoured
     * by {@link #url()}); the password and the random port always win over the properties.
     */
    public static LiveServer start(String password, Map<String, Object> properties) {
        LiveServer live = new LiveServer(password, properties);
        live.run(-1);
        return live;
    }

    /** Not synchronized: restart() holds the lock while Awaitility calls this from its own thread. */
    private void run(int onPort) {
        Map<String, Object> all = new HashMap<>();
        all.put(HOST_KEY_PROPERTY, HOST_KEY);
        // most tests post as agents only, more than 25 in a row: the loop brake is off unless a test turns it on
        all.put("agent-chat.max-agent-turns", 0);
        all.putAll(properties);
        all.put("agent-chat.password", password);
        all.put("micronaut.server.port", onPort);
        server = ApplicationContext.run(EmbeddedServer.class, all);
        port = server.getPort();
    }

    /** The server's base URL, without a trailing slash. */
    public String url() {
        return "http://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The URI of a path (with its query, if any) on this server, e.g. {@code uri("/messages?after=3")}. */
    public URI uri(String pathAndQuery) {
        return URI.create(url() + pathAndQuery);
    }

    public String password() {
        return password;
    }

    /** The server's host key: {@link #HOST_KEY} unless the properties set another. */
    public String hostKey() {
        return String.valueOf(properties.getOrDefault(HOST_KEY_PROPERTY, HOST_KEY));
    }

    /** The running server's application context (a new one after each restart). */
    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public boolean isRunning() {
        EmbeddedServer current = server;
        return current != null && current.getApplicationContext().isRunning();
    }

    /** Stops the server: its messages are gone, like a real stop. Does nothing if it is not running. */
    public synchronized void stop() {
        if (isRunning()) {
            ApplicationContext context = server.getApplicationContext();
            stoppedLoops = List.copyOf(context.getBeansOfType(EventLoopGroup.class));
            context.close();
        }
    }

    /**
     * A fresh server (empty room, same settings) on the same port, stopping the current one first if it
     * still runs; retried for up to 15 s while the old socket is being released.
     */
    public synchronized void restart() {
        stop();
        awaitStoppedLoops();
        int samePort = port;
        await("a fresh server on port " + samePort)
            .atMost(15, SECONDS)
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(() -> {
                run(samePort);
                return true;
            });
    }

    /**
     * Waits until the stopped server's event loops have ended, as they do when a real server's process
     * exits. Closing its context only starts their wind-down, and meanwhile a client was seen posting to
     * the stopped room over a connection it held, after the new server on the same port was up.
     */
    private void awaitStoppedLoops() {
        for (EventLoopGroup group : stoppedLoops) {
            group.shutdownGracefully();
            if (!group.terminationFuture().awaitUninterruptibly(STOP_TIMEOUT.toMillis())) {
                throw new IllegalStateException("the stopped server's event loops are still running after " + STOP_TIMEOUT);
            }
        }
        stoppedLoops = List.of();
    }

    @Override
    public void close() {
        stop();
    }
}
