package dev.agentchat.cli.messages;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.error.ApiError;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.RoomOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat ack ID}: acknowledges a message without posting one. */
@Command(name = "ack", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Acknowledge a message (\"I have it\") without posting a message.",
    description = {"Adds your name to the message's acknowledgements, which its sender can wait for",
        "(agent-chat wait --acks ID) and everyone sees in the history and the web UI. Prints:",
        "  ✅ Acknowledged #12 (acks: dev1, dev2)",
        "An id the room does not have (not reached yet, or dropped from the history) is a mistake (exit 2)."},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat ack -a coder 12", "  agent-chat ack -a coder '#12'"})
public class AckCommand implements Callable<Integer> {
    private final CursorStore cursors;

    /** @param cursors this run's store, where the token of the name it holds is kept */
    public AckCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.MessageId.class,
        description = "The id of the message: 12 or '#12'.")
    long id;

    @Option(names = "--json", description = "One JSON object: id, acks (everyone who has acknowledged it).")
    boolean json;

    @Override
    public Integer call() {
        RoomClient client = room.client(cursors, agent.name());
        List<String> acks;
        try {
            acks = client.ack(id, agent.name());
        } catch (RoomException e) {
            if (ApiError.MESSAGE_NOT_FOUND.code().equals(e.code())) {
                throw new CliException(ExitCodes.USAGE, ApiError.noSuchMessage(id));
            }
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? Json.object().put("id", id).put("acks", acks)
            : "✅ Acknowledged #" + id + " (acks: " + String.join(", ", acks) + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
