package dev.agentchat.cli.tunnel;

import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;

/** The tunnel could not be started: exit code {@link ExitCodes#TUNNEL}. */
public class TunnelException extends CliException {
    public TunnelException(String message) {
        super(ExitCodes.TUNNEL, message);
    }
}
