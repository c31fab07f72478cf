package dev.agentchat.cli.options;

import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --last N}: of the history (or of what is unread), only the newest N; 0 starts from now. */
public class LastOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--last", paramLabel = "N",
        description = "Only the newest N of the messages otherwise shown first (0: none, start from now).")
    Integer last;

    /** N, or null when not given. */
    @Nullable
    public Integer value() {
        if (last != null && last < 0) {
            throw new ParameterException(mixee.commandLine(), "--last must be 0 or more");
        }
        return last;
    }
}
