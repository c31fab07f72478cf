package dev.agentchat.cli.claims;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.client.model.Claim;
import dev.agentchat.coordination.CoordinationOperations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code agent-chat release ID|RESOURCE}: gives a claim back. */
@Command(name = "release", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Release a claim you hold.",
    description = {"Gives the claim back so others may take it: by its id, or by the resource you claimed.",
        "Prints: ✅ Released src/parser/** (claim c-4f1a9b2e)"},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat release -a coder c-4f1a9b2e", "  agent-chat release -a coder 'src/parser/**'"})
public class ReleaseCommand implements Callable<Integer> {
    private final CursorStore cursors;

    /** @param cursors this run's store, where the token of the name it holds is kept */
    public ReleaseCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Parameters(index = "0", paramLabel = "ID|RESOURCE", description = "The claim's id (c-...) or the resource you claimed.")
    String which;

    @Option(names = "--json", description = "Print the released claim as JSON (as claim --json prints it).")
    boolean json;

    @Override
    public Integer call() {
        if (which.isBlank()) {
            throw new ParameterException(spec.commandLine(), "ID|RESOURCE is empty: give the claim's id (c-...) or the resource you claimed");
        }
        RoomClient client = room.client(cursors, agent.name());
        String name = agent.name();
        String id = which;
        if (!CoordinationOperations.isClaimId(which)) {
            id = client.claimOn(which, name).orElseThrow(() -> new CliException(ExitCodes.FAILURE,
                "You (" + name + ") hold no claim on " + which + " (agent-chat claims lists them)"));
        }
        Claim released = client.release(id, name);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? ClaimsCommand.json(released) : "✅ Released " + released.getResource() + " (claim " + released.getId() + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
