package dev.agentchat.cli.options;

import dev.agentchat.messages.SendCheck;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.util.Set;

/** {@code -a/--agent-name}, falling back to AGENT_CHAT_NAME. */
public class AgentOption {
    /** The stand-ins for a name in the invite and the guides, copied as they are by an agent in a hurry. */
    private static final Set<String> PLACEHOLDERS = Set.of("YOUR_NAME", "NAME");

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

    /** Why {@code name} cannot be one's own name (a placeholder, or it breaks the name rule), or null. */
    @Nullable
    public static String invalid(String name) {
        return PLACEHOLDERS.contains(name)
            ? "'" + name + "' is the invite's placeholder: give your own name instead (e.g. -a coder)"
            : SendCheck.invalidName(name);
    }

    /**
     * A name given on the command line as the CLI takes it: spaces at either end left out (a blank
     * one as given); a usage error when it breaks the name rule, naming {@code option} when given.
     */
    public static String checked(String given, @Nullable String option, CommandLine commandLine) {
        String value = given.isBlank() ? given : given.strip();
        String invalid = invalid(value);
        if (invalid != null) {
            throw new ParameterException(commandLine, option == null ? invalid : option + ": " + invalid);
        }
        return value;
    }
}
