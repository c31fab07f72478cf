package dev.agentchat.cli.options;

import dev.agentchat.cli.client.CursorStore;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** Beans the commands share; {@code agent-chat-cli.state-dir} overrides the state directory (tests). */
@Factory
public class CliBeans {
    @Singleton
    CursorStore cursorStore(@Nullable @Value("${agent-chat-cli.state-dir:}") String stateDir) {
        return stateDir == null || stateDir.isBlank()
            ? CursorStore.inStateDirectory(System.getenv())
            : new CursorStore(Path.of(stateDir).resolve("cursors"));
    }
}
