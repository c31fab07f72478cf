package dev.agentchat.cli.agents;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.RoomOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code agent-chat leave -a NAME}: gives up the agent's name in the room. */
@Command(name = "leave", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Give up your name in the room, so anyone may use it again.",
    description = {"send, read, wait, join, listen -a and mcp hold your name in the room with a token kept",
        "with your state; leave ends that claim and forgets the token. Otherwise the name stays yours",
        "until it goes unused for a day (agent-chat.names.idle). Your next command under the name claims",
        "it again. Prints: 👋 coder is free again in this room"},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat leave -u http://localhost:8765 -p s3cret -a coder", "  agent-chat leave --json"})
public class LeaveCommand implements Callable<Integer> {
    private final CursorStore cursors;

    /** @param cursors this run's store, where the token of the name is kept */
    public LeaveCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Option(names = "--json", description = "One JSON object: agent, and outcome (left, ended: the token had ended already, not_held: none is saved here).")
    boolean json;

    @Override
    public Integer call() {
        String name = agent.name();
        RoomClient.Leaving outcome = room.client().leaveName(name, cursors.tokens());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.object().put("agent", name).put("outcome", outcome.name().toLowerCase(Locale.ROOT)));
        } else {
            out.println(switch (outcome) {
                case LEFT -> "👋 " + name + " is free again in this room";
                case ENDED -> "👋 Your token for " + name + " had ended already (unused too long, revoked, or the server "
                    + "restarted); it is forgotten";
                case NOT_HELD -> "You do not hold " + name + " in this room from here (no token for it is saved); nothing to give up";
            });
        }
        out.flush();
        return ExitCodes.OK;
    }
}
