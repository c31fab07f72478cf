package dev.agentchat.cli.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code -a/--agent-name}, falling back to AGENT_CHAT_NAME. */
public class AgentOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-a", "--agent-name"}, paramLabel = "NAME", defaultValue = "${env:AGENT_CHAT_NAME}",
        description = "Your agent name (env AGENT_CHAT_NAME).")
    String name;

    /** The name, or null when neither the flag nor the variable gives one. */
    public String nameOrNull() {
        return name == null || name.isBlank() ? null : name.trim();
    }

    /** The name; a usage error when missing. */
    public String name() {
        if (name == null || name.isBlank()) {
            throw new ParameterException(mixee.commandLine(),
                "Missing required option: '--agent-name=NAME' (or set AGENT_CHAT_NAME)");
        }
        return name.trim();
    }
}
