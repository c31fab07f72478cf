package dev.agentchat.room.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The instance's two connections to Redis: one for commands and one subscribed to every room's
 * message channel. Commands fail at once while Redis is unreachable (never queued), so a request
 * is answered 503 instead of hanging; Lettuce reconnects by itself and re-subscribes.
 * Created at startup: an instance pointed at a Redis it cannot reach does not start.
 */
@Context
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisConnections {
    public static final String URL_PROPERTY = "agent-chat.redis-url";
    /** Every room's messages are published on a channel matching this pattern. */
    static final String CHANNEL_PATTERN = RedisKeys.PREFIX + "room:*:messages";

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile BiConsumer<String, String> messageHandler = (channel, message) -> { };
    private volatile Runnable disconnectHandler = () -> { };

    public RedisConnections(@Value("${" + URL_PROPERTY + "}") String url) {
        resources = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(2));
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
        commands = client.connect();
        pubsub = client.connectPubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                messageHandler.accept(channel, message);
            }
        });
        pubsub.sync().psubscribe(CHANNEL_PATTERN);
    }

    public RedisCommands<String, String> sync() {
        return commands.sync();
    }

    /** For writes whose outcome nobody waits for. */
    public RedisAsyncCommands<String, String> async() {
        return commands.async();
    }

    /** Both connections are up. */
    public boolean healthy() {
        return commands.isOpen() && pubsub.isOpen();
    }

    /** Who receives the published messages (channel, message), on a Lettuce I/O thread: never block there. */
    void onMessage(BiConsumer<String, String> handler) {
        this.messageHandler = handler;
    }

    /** Called when the subscription is lost: messages published until it is back will not arrive. */
    void onSubscriptionLost(Runnable handler) {
        this.disconnectHandler = handler;
    }

    @PreDestroy
    void close() {
        pubsub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
