package dev.agentchat.cli.options;

import dev.agentchat.messages.SendCheck;
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

    /** The name, or null when neither the flag nor the variable gives one; a usage error when it breaks the name rule. */
    public String nameOrNull() {
        return name == null || name.isBlank() ? null : valid(name.strip());
    }

    /** The name; a usage error when missing or when it breaks the name rule (before any request). */
    public String name() {
        if (name == null || name.isBlank()) {
            throw new ParameterException(mixee.commandLine(),
                "Missing required option: '--agent-name=NAME' (or set AGENT_CHAT_NAME)");
        }
        return valid(name.strip());
    }

    private String valid(String value) {
        String invalid = SendCheck.invalidName(value);
        if (invalid != null) {
            throw new ParameterException(mixee.commandLine(), invalid);
        }
        return value;
    }
}
