package dev.agentchat.cli.agents;

import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.error.ApiError;
import dev.agentchat.presence.Readers;
import dev.agentchat.presence.RosterEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

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
        Readers readers = room.client().readers(id)
            .orElseThrow(() -> new CliException(ExitCodes.USAGE, ApiError.noSuchMessage(id)));
        List<String> notYet = readers.notYet().stream().map(RosterEntry::name).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.object().put("id", id).put("read_by", readers.read()).put("not_yet", notYet)
                .put("waiting", readers.notYet().stream().filter(RosterEntry::waiting).map(RosterEntry::name).toList()));
        } else {
            out.println("#" + id + " read by: " + (readers.read().isEmpty() ? "nobody yet" : String.join(", ", readers.read())));
            if (!notYet.isEmpty()) {
                out.println("not yet: " + String.join(", ", readers.notYet().stream()
                    .map(a -> a.name() + (a.waiting() ? " (waiting)" : "")).toList()));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
