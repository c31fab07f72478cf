package dev.agentchat.cli.agents;

import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.client.model.Agent;
import dev.agentchat.client.model.Message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** {@code agent-chat seen ID}: who has read a message. */
@Command(name = "seen", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Who has read message #ID (and who has not yet).",
    description = {"An agent has read a message when a read, wait, listen, poll or MCP tool of its was given it,",
        "when it wrote the message, or when it acknowledged it:",
        "  #12 read by: dev1, dev2",
        "  not yet: dev3 (waiting)",
        "A message the room has not reached yet is a mistake (exit 2)."},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat seen 12", "  agent-chat seen '#12'", "  agent-chat seen 12 --json"})
public class SeenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.MessageId.class,
        description = "The id of the message: 12 or '#12'.")
    long id;

    @Option(names = "--json", description = "One JSON object: id, read_by, not_yet (names), waiting (those of not_yet waiting for messages right now).")
    boolean json;

    @Override
    public Integer call() {
        RoomClient client = room.client();
        Optional<Message> first = client.firstFrom(id);
        if (first.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "No message #" + id + " in this room yet");
        }
        // its author and those who acknowledged it have read it, whatever their cursors say
        Set<String> surely = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Message message = first.get();
        if (message.getId() != null && message.getId() == id) {
            surely.add(message.getAgent());
            if (message.getAcks() != null) {
                surely.addAll(message.getAcks());
            }
        }
        List<Agent> agents = client.agents();
        Predicate<Agent> hasRead = a -> a.getReadUpTo() != null && a.getReadUpTo() >= id || surely.contains(a.getName());
        List<String> read = new ArrayList<>(agents.stream().filter(hasRead).map(Agent::getName).toList());
        Set<String> listed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        listed.addAll(read);
        surely.stream().filter(name -> !listed.contains(name)).forEach(read::add);
        List<Agent> unread = agents.stream().filter(hasRead.negate()).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.object().put("id", id).put("read_by", read)
                .put("not_yet", unread.stream().map(Agent::getName).toList())
                .put("waiting", unread.stream().filter(SeenCommand::waiting).map(Agent::getName).toList()));
        } else {
            out.println("#" + id + " read by: " + (read.isEmpty() ? "nobody yet" : String.join(", ", read)));
            if (!unread.isEmpty()) {
                out.println("not yet: " + String.join(", ", unread.stream()
                    .map(a -> a.getName() + (waiting(a) ? " (waiting)" : "")).toList()));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static boolean waiting(Agent agent) {
        return Boolean.TRUE.equals(agent.getWaiting());
    }
}
