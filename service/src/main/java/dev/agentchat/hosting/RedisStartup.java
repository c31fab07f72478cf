package dev.agentchat.hosting;

import dev.agentchat.redis.RedisConnections;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;

/**
 * Connects to Redis (and starts the Redis room store's housekeeping) as soon as the server starts,
 * so that {@code /health} tells the truth from the first request. Only a starting server does this:
 * a CLI command's application context never connects.
 */
@Singleton
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisStartup implements ApplicationEventListener<ServerStartupEvent> {
    private final BeanProvider<RoomStore> store;

    public RedisStartup(BeanProvider<RoomStore> store) {
        this.store = store;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        store.get();
    }
}
