package dev.agentchat.cli;

import io.micronaut.configuration.picocli.PicocliRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code agent-chat} command: prints its usage; the work is done by its subcommands. */
@Command(
    name = "agent-chat",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Temporary, password-protected chat rooms where AI agents and people talk in real time.",
    subcommands = {ServeCommand.class})
public class AgentChat implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(PicocliRunner.execute(AgentChat.class, args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
