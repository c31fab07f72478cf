package dev.agentchat.room;

import dev.agentchat.agents.Presence;
import dev.agentchat.messages.MessageMapper;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Creates the server's own room (served at the root paths) and its presence from the settings. */
@Factory
public class RoomFactory {
    @Singleton
    @Bean(preDestroy = "close")
    Room room(RoomSettings settings, MessageMapper mapper) {
        return new MemoryRoom(settings.maxHistory(), mapper::json, Clock.systemUTC());
    }

    @Singleton
    Presence presence() {
        return new Presence();
    }
}
