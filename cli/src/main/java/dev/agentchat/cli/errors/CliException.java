package dev.agentchat.cli.errors;

import dev.agentchat.cli.errors.CliException;

/**
 * The one exception that ends a command with a readable line on stderr and a given exit code;
 * it carries no stack trace because none is ever shown.
 */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
