package dev.agentchat.cli.output;

import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.client.model.Message;
import io.micronaut.core.annotation.Nullable;

import java.util.Optional;

/**
 * The output took only some of the messages (a pipe closed, as {@code grep -q} closes it once it has
 * found its line; a full disk): the last one it took, so that a reader moves its cursor past what was
 * shown and no further.
 */
public final class PartlyShown extends CliException {
    @Nullable
    private final transient Message lastShown;

    PartlyShown(@Nullable Message lastShown) {
        super(ExitCodes.FAILURE, "The output could not be written (closed or full): the messages not shown stay unread");
        this.lastShown = lastShown;
    }

    /** The last message the output took, if it took any. */
    public Optional<Message> lastShown() {
        return Optional.ofNullable(lastShown);
    }
}
