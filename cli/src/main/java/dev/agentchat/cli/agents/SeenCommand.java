package dev.agentchat.cli.agents;

import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.client.model.Agent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat seen ID}: who has read a message. */
@Command(name = "seen", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Who has read message #ID (and who has not yet).",
    description = {"An agent has read a message when a read, wait, listen, poll or MCP tool of its was given it:",
        "  #12 read by: dev1, dev2",
        "  not yet: dev3 (waiting)"},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat seen 12", "  agent-chat seen '#12'"})
public class SeenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.MessageId.class,
        description = "The id of the message: 12 or '#12'.")
    long id;

    @Override
    public Integer call() {
        RoomClient client = room.client();
        List<Agent> agents = client.agents();
        List<String> read = agents.stream().filter(a -> a.getReadUpTo() != null && a.getReadUpTo() >= id)
            .map(Agent::getName).toList();
        List<String> unread = agents.stream().filter(a -> a.getReadUpTo() == null || a.getReadUpTo() < id)
            .map(a -> a.getName() + (Boolean.TRUE.equals(a.getWaiting()) ? " (waiting)" : "")).toList();
        PrintWriter out = spec.commandLine().getOut();
        out.println("#" + id + " read by: " + (read.isEmpty() ? "nobody yet" : String.join(", ", read)));
        if (!unread.isEmpty()) {
            out.println("not yet: " + String.join(", ", unread));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
