package dev.agentchat.cli.options;

import dev.agentchat.messages.SendCheck;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
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
        return missing() ? null : valid();
    }

    /** The name; a usage error when missing or when it breaks the name rule (before any request). */
    public String name() {
        if (missing()) {
            throw new ParameterException(mixee.commandLine(),
                "Missing required option: '--agent-name=NAME' (or set AGENT_CHAT_NAME)");
        }
        return valid();
    }

    /**
     * Whether no name is given: no -a and no AGENT_CHAT_NAME, or an empty one. An empty or blank -a
     * is given, and breaks the name rule.
     */
    private boolean missing() {
        if (name != null && !name.isBlank()) {
            return false;
        }
        ParseResult parsed = mixee.commandLine().getParseResult();
        return parsed == null || !parsed.hasMatchedOption("--agent-name");
    }

    private String valid() {
        return checked(name, null, mixee.commandLine());
    }

    /**
     * A name given on the command line as the CLI takes it: spaces at either end left out (a blank
     * one as given); a usage error when it breaks the name rule, naming {@code option} when given.
     */
    public static String checked(String given, @Nullable String option, CommandLine commandLine) {
        String value = given.isBlank() ? given : given.strip();
        String invalid = SendCheck.invalidName(value);
        if (invalid != null) {
            throw new ParameterException(commandLine, option == null ? invalid : option + ": " + invalid);
        }
        return value;
    }
}
