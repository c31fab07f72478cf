package dev.agentchat.cli.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

/**
 * Where a command writes and how it reports a usage mistake found while it runs: through picocli
 * ({@link #of}), or through the quick path of the one-shot commands, which renders the mistake as
 * picocli does.
 */
public interface Io {
    PrintWriter out();

    PrintWriter err();

    /** The exception to throw for a usage mistake (exit 2, with the usage line). */
    RuntimeException usage(String message);

    /** The command's own streams and picocli's usage errors. */
    static Io of(CommandSpec spec) {
        return new Io() {
            @Override
            public PrintWriter out() {
                return spec.commandLine().getOut();
            }

            @Override
            public PrintWriter err() {
                return spec.commandLine().getErr();
            }

            @Override
            public RuntimeException usage(String message) {
                return new ParameterException(spec.commandLine(), message);
            }
        };
    }
}
