package dev.agentchat.cli.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --host-key}, falling back to AGENT_CHAT_HOST_KEY: the server's host key ({@code serve}
 * prints it), sent as {@code Authorization: Bearer <host key>} by the host's commands.
 */
public class HostKeyOption {
    public static final String ENV = "AGENT_CHAT_HOST_KEY";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--host-key", paramLabel = "KEY", defaultValue = "${env:" + ENV + "}",
        description = "The server's host key, as serve prints it (env " + ENV + ").")
    String key;

    /** The key, or null when neither the flag nor the variable gives one. */
    public String keyOrNull() {
        return key == null || key.isBlank() ? null : key.strip();
    }

    /** The key; a usage error when missing. */
    public String key() {
        String value = keyOrNull();
        if (value == null) {
            throw new ParameterException(mixee.commandLine(),
                "Missing required option: '--host-key=KEY' (or set " + ENV + "); serve prints it");
        }
        return value;
    }
}
