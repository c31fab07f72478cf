package dev.agentchat.cli.agents;

import dev.agentchat.cli.output.LocalClock;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.presence.RosterEntry;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.messages.Timestamps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat who}: who is in the room and who is online. */
@Command(name = "who", mixinStandardHelpOptions = true, sortOptions = false,
    header = "List who is in the room and who is online.",
    description = "Lists everyone who has spoken or listened in the room, online first, with how far each has read, whether it is waiting for messages right now and whether someone holds its name (and the host muted it); a name the host kicked shows until when it is blocked:%n  ● planner  online (2 connections), waiting, read #41, held by an agent%n  ○ coder    last seen 12:21:05, read #38, muted%n  ○ spammer  removed by the host until 14:05:00",
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat who -u http://localhost:8765 -p s3cret", "  agent-chat who --json"})
public class WhoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Option(names = "--json", description = "One JSON object per agent per line: name, online, last_seen, connections, waiting, read_up_to, verified (someone holds the name), kind (agent or human, for a held name), muted, blocked_until (while the host's kick blocks the name).")
    boolean json;

    @Override
    public Integer call() {
        return who(room.client(), json, spec.commandLine().getOut());
    }

    /** The command, once the room is known: also the quick path's (no picocli model). */
    public static int who(RoomClient client, boolean json, PrintWriter out) {
        List<RosterEntry> agents = client.roster().stream()
            .sorted((a, b) -> Boolean.compare(b.here(), a.here()))
            .toList();
        int width = agents.stream().mapToInt(a -> a.name().length()).max().orElse(0);
        for (RosterEntry agent : agents) {
            out.println(json ? json(agent) : line(agent, width));
        }
        if (agents.isEmpty() && !json) {
            out.println("(nobody yet)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String line(RosterEntry agent, int width) {
        String name = String.format("%-" + width + "s", agent.name());
        StringBuilder notes = new StringBuilder(agent.readUpTo() == null ? "" : ", read #" + agent.readUpTo());
        agent.nameNotes().forEach(note -> notes.append(", ").append(note));
        if (agent.blockedUntil() != null) {
            return "○ " + name + "  removed by the host until " + LocalClock.local(agent.blockedUntil()) + notes;
        }
        if (agent.online()) {
            int connections = agent.connections();
            return "● " + name + "  online" + (connections > 0
                ? " (" + connections + (connections == 1 ? " connection)" : " connections)") : "")
                + (agent.waiting() ? ", waiting" : "") + notes;
        }
        return "○ " + name + "  " + (agent.lastSeen() == null ? "offline"
            : "last seen " + LocalClock.local(agent.lastSeen())) + notes;
    }

    private static String json(RosterEntry agent) {
        Json.ObjectWriter node = Json.object();
        node.put("name", agent.name());
        node.put("online", agent.online());
        if (agent.lastSeen() != null) {
            node.put("last_seen", Timestamps.format(agent.lastSeen()));
        }
        node.put("connections", agent.connections());
        node.put("waiting", agent.waiting());
        if (agent.readUpTo() != null) {
            node.put("read_up_to", agent.readUpTo());
        }
        node.put("verified", agent.held());
        if (agent.kind() != null) {
            node.put("kind", agent.kind());
        }
        node.put("muted", agent.muted());
        if (agent.blockedUntil() != null) {
            node.put("blocked_until", Timestamps.format(agent.blockedUntil()));
        }
        return node.toString();
    }
}
