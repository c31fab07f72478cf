package dev.agentchat.room;

import dev.agentchat.messages.MessageMapper;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Creates the server's room from its settings. */
@Factory
public class RoomFactory {
    @Singleton
    @Bean(preDestroy = "close")
    Room room(RoomSettings settings, MessageMapper mapper) {
        return new MemoryRoom(settings.maxHistory(), mapper::json, Clock.systemUTC());
    }
}
