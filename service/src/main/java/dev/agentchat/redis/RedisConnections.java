package dev.agentchat.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import dev.agentchat.settings.InvalidSetting;
import dev.agentchat.settings.Redaction;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import reactor.core.Disposable;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The instance's two connections to Redis: one for commands and one subscribed to every room's
 * channels. Commands fail at once while Redis is unreachable (never queued), so a request
 * is answered 503 instead of hanging; Lettuce reconnects by itself and re-subscribes. If Redis cannot
 * be reached at startup the instance starts anyway, unhealthy, and keeps trying to connect; if it
 * refuses the credentials, the instance does not start (they will not fix themselves).
 * Created when the server starts (the room store's {@code hosting.RedisStartup}), not with any
 * application context.
 */
@Singleton
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisConnections {
    public static final String URL_PROPERTY = "agent-chat.redis-url";
    /** Every room's messages, and its presence events, are published on channels matching these patterns. */
    static final String[] CHANNEL_PATTERNS = {RedisKeys.PREFIX + "room:*" + RedisKeys.MESSAGES,
        RedisKeys.PREFIX + "room:*" + RedisKeys.PRESENCE_EVENTS, RedisKeys.PREFIX + "room:*" + RedisKeys.COORDINATION_EVENTS,
        RedisKeys.MODERATION};
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
    /** The first pause between tries to connect when Redis was unreachable at the start; each next pause is twice as long. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** The longest pause between those tries. */
    private static final Duration RETRY_AT_MOST = Duration.ofSeconds(5);
    /** How often Redis is asked whether it answers ({@code PING}), and how long it has to. */
    private static final Duration PING_EVERY = Duration.ofSeconds(1);
    private static final Duration PING_WITHIN = Duration.ofMillis(1500);
    /** How often the start tries to reach Redis before it goes on without it (and keeps trying every {@link #RETRY}). */
    private static final int START_TRIES = 3;
    private static final Duration START_PAUSE = Duration.ofMillis(200);

    private final ClientResources resources;
    private final RedisClient client;
    private final String address;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-connect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile boolean closed;
    private final java.util.List<BiConsumer<String, String>> messageHandlers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Runnable disconnectHandler = () -> { };
    /** Why Redis refuses this instance's credentials, while it does (said once in the log, and to clients). */
    private volatile String refused;
    /** Whether Redis answered the last {@code PING}: connections that are open to a stalled Redis answer nothing. */
    private volatile boolean answering = true;
    /** Whether Redis was unreachable at the last try to reach it (said once in the log, and again once it is back). */
    private volatile boolean unreachable;
    private final Disposable events;

    public RedisConnections(@Value("${" + URL_PROPERTY + "}") String url) {
        resources = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
        RedisURI uri = uri(url);
        uri.setTimeout(Duration.ofSeconds(2));
        address = uri.getHost() + ":" + uri.getPort();
        client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
            .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == pubsub) {
                    disconnectHandler.run();
                }
            }
        });
        events = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ReconnectFailedEvent failed) {
                failed(failed.getCause());
            } else if (event instanceof ConnectionActivatedEvent) {
                refused = null;
                back();
            }
        });
        connect(true, RETRY);
        every(PING_EVERY, this::ping);
    }

    /** The URL as Lettuce reads it; one it cannot read is a setting refused, never echoed with its password. */
    private static RedisURI uri(String url) {
        try {
            return RedisURI.create(url);
        } catch (NumberFormatException e) {
            // Lettuce's own words name neither the part nor the rule ("For input string: ...")
            throw InvalidSetting.of(URL_PROPERTY, url, "a Redis URL whose path, if it has one, is a database number,"
                + " such as redis://localhost:6379/0");
        } catch (IllegalArgumentException e) {
            throw InvalidSetting.of(URL_PROPERTY, url, "a Redis URL (" + Redaction.urls(e.getMessage()) + ")");
        }
    }

    /**
     * Opens what is not open yet; on failure tries again a second later, until it succeeds. Credentials
     * refused at the start stop the server from starting instead; so that one try that fails for a
     * moment (a Redis still starting, a connection cut during the handshake) does not decide that,
     * the start tries {@link #START_TRIES} times, {@link #START_PAUSE} apart, before it goes on without Redis.
     */
    private void connect(boolean starting, Duration pause) {
        for (int tried = 1; !closed; tried++) {
            try {
                open();
                LOG.info("Connected to Redis at {}", address);
                back();
                return;
            } catch (RedisException e) {
                Optional<String> refusal = credentialsRefused(e);
                if (starting && refusal.isPresent()) {
                    close();
                    throw new InvalidSetting(refusal.get(), null);
                }
                if (!starting || tried == START_TRIES) {
                    failed(e);
                    Duration next = pause.multipliedBy(2).compareTo(RETRY_AT_MOST) > 0 ? RETRY_AT_MOST : pause.multipliedBy(2);
                    connector.schedule(() -> connect(false, next), pause.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
            }
            try {
                Thread.sleep(START_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void open() {
        if (commands == null) {
            commands = client.connect();
        }
        if (pubsub == null) {
            StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    messageHandlers.forEach(handler -> handler.accept(channel, message));
                }
            });
            try {
                subscriber.sync().psubscribe(CHANNEL_PATTERNS);
            } catch (RuntimeException e) {
                subscriber.close();
                throw e;
            }
            pubsub = subscriber;
        }
    }

    /**
     * Logs a failure to connect once until Redis is back (Lettuce's own reconnects are not logged):
     * credentials refused (they stay wrong until someone fixes them), or Redis unreachable.
     */
    private void failed(Throwable failure) {
        Optional<String> refusal = credentialsRefused(failure);
        if (refusal.isPresent()) {
            if (!refusal.get().equals(refused)) {
                LOG.warn("{}; trying again", refusal.get());
            }
            refused = refusal.get();
        } else if (!unreachable) {
            LOG.warn("Redis at {} is unreachable ({}): requests that need it are answered 503 until it is back;"
                + " trying again", address, reason(failure));
        }
        unreachable = true;
    }

    /** Logs that Redis can be reached again, after it could not. */
    private void back() {
        if (unreachable) {
            unreachable = false;
            LOG.info("Redis at {} is back", address);
        }
    }

    /**
     * Asks Redis whether it answers, and logs when that changes: a Redis that is stopped or stalled
     * ({@code SIGSTOP}, a full disk, a long script) keeps its connections open and answers nothing,
     * so only an answer tells it is there.
     */
    private void ping() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null || !c.isOpen()) {
            return; // unreachable: the connections say so themselves
        }
        try {
            c.async().ping().get(PING_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            if (!answering) {
                answering = true;
                LOG.info("Redis at {} answers again", address);
            }
        } catch (Exception silent) {
            if (silent instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (answering) {
                answering = false;
                LOG.warn("Redis at {} does not answer within {} ms: requests that need it are answered 503 at once until it does",
                    address, PING_WITHIN.toMillis());
            }
        }
    }

    /** A failure's message, and its innermost cause's when that says more ("Unable to connect to …: Connection refused"). */
    private static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        return Redaction.urls(root == failure || root.getMessage() == null ? message : message + ": " + root.getMessage());
    }

    /** The sentence for Redis refusing the credentials of the URL (NOAUTH, WRONGPASS), if that is why it failed. */
    private Optional<String> credentialsRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof RedisCommandExecutionException && message.startsWith("NOAUTH")) {
                return Optional.of("Redis at " + address + " wants a password and the Redis URL has none (NOAUTH):"
                    + " give it as redis://:PASSWORD@" + address);
            }
            if (t instanceof RedisCommandExecutionException
                && (message.startsWith("WRONGPASS") || message.startsWith("ERR invalid password"))) {
                return Optional.of("Redis at " + address + " refused the credentials in the Redis URL"
                    + " (WRONGPASS: wrong password or user name)");
            }
        }
        return Optional.empty();
    }

    /** Why Redis refuses this instance's credentials, while it does. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refused);
    }

    /** Runs a housekeeping task every {@code period} on this class's own thread, for as long as it is open. */
    public void every(Duration period, Runnable task) {
        connector.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.debug("Redis housekeeping failed", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Synchronous commands; they throw a {@link RedisException} (answered 503) while Redis is away. */
    public RedisCommands<String, String> sync() {
        return connected().sync();
    }

    /** For writes whose outcome nobody waits for. */
    public RedisAsyncCommands<String, String> async() {
        return connected().async();
    }

    /** Both connections are up, and Redis answered the last {@code PING}. */
    public boolean healthy() {
        StatefulRedisConnection<String, String> c = commands;
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        return c != null && p != null && c.isOpen() && p.isOpen() && answering;
    }

    /**
     * The command connection, while Redis answers: once it has not answered a {@code PING}, commands
     * fail at once (answered 503) until it does, instead of each waiting out its timeout.
     */
    private StatefulRedisConnection<String, String> connected() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            throw new RedisConnectionException("Not connected to Redis at " + address + " yet");
        }
        if (!answering) {
            throw new RedisConnectionException("Redis at " + address + " does not answer");
        }
        return c;
    }

    /** Adds a receiver of the published messages (channel, message), called on a Lettuce I/O thread: never block there. */
    public void onMessage(BiConsumer<String, String> handler) {
        messageHandlers.add(handler);
    }

    /** Called when the subscription is lost: messages published until it is back will not arrive. */
    public void onSubscriptionLost(Runnable handler) {
        this.disconnectHandler = handler;
    }

    @PreDestroy
    void close() {
        closed = true;
        events.dispose();
        connector.shutdownNow();
        if (pubsub != null) {
            pubsub.close();
        }
        if (commands != null) {
            commands.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
