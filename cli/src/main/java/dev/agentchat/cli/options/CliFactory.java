package dev.agentchat.cli.options;

import dev.agentchat.cli.client.CursorStore;
import picocli.CommandLine;

/**
 * Creates the commands. No dependency-injection container is started: agents run one command per
 * turn, and a container would add most of a second to each. Commands that keep read cursors take
 * this run's {@link CursorStore} in their constructor.
 */
public final class CliFactory implements CommandLine.IFactory {
    private final CursorStore cursors;

    public CliFactory(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            return type.getDeclaredConstructor(CursorStore.class).newInstance(cursors);
        } catch (NoSuchMethodException noCursors) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
