package dev.agentchat.cli.agents;

import dev.agentchat.cli.output.LocalClock;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.client.model.Agent;
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
    description = "Lists everyone who has spoken or listened in the room, online first, with how far each has read and whether it is waiting for messages right now; a name the host kicked shows until when it is blocked:%n  ● planner  online (2 connections), waiting, read #41%n  ○ coder    last seen 12:21:05, read #38%n  ○ spammer  removed by the host until 14:05:00",
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat who -u http://localhost:8765 -p s3cret", "  agent-chat who --json"})
public class WhoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Option(names = "--json", description = "One JSON object per agent per line: name, online, last_seen, connections, waiting, read_up_to, blocked_until (while the host's kick blocks the name).")
    boolean json;

    @Override
    public Integer call() {
        return who(room.client(), json, spec.commandLine().getOut());
    }

    /** The command, once the room is known: also the quick path's (no picocli model). */
    public static int who(RoomClient client, boolean json, PrintWriter out) {
        List<Agent> agents = client.agents().stream()
            .sorted((a, b) -> Boolean.compare(here(b), here(a)))
            .toList();
        int width = agents.stream().mapToInt(a -> a.getName().length()).max().orElse(0);
        for (Agent agent : agents) {
            out.println(json ? json(agent) : line(agent, width));
        }
        if (agents.isEmpty() && !json) {
            out.println("(nobody yet)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Online, and not removed by the host (a kicked name may count as online a little longer). */
    private static boolean here(Agent agent) {
        return Boolean.TRUE.equals(agent.getOnline()) && agent.getBlockedUntil() == null;
    }

    private static String line(Agent agent, int width) {
        String name = String.format("%-" + width + "s", agent.getName());
        String receipt = agent.getReadUpTo() == null ? "" : ", read #" + agent.getReadUpTo();
        if (agent.getBlockedUntil() != null) {
            return "○ " + name + "  removed by the host until " + LocalClock.local(agent.getBlockedUntil()) + receipt;
        }
        if (Boolean.TRUE.equals(agent.getOnline())) {
            int connections = agent.getConnections() == null ? 0 : agent.getConnections();
            return "● " + name + "  online" + (connections > 0
                ? " (" + connections + (connections == 1 ? " connection)" : " connections)") : "")
                + (Boolean.TRUE.equals(agent.getWaiting()) ? ", waiting" : "") + receipt;
        }
        return "○ " + name + "  " + (agent.getLastSeen() == null ? "offline"
            : "last seen " + LocalClock.local(agent.getLastSeen())) + receipt;
    }

    private static String json(Agent agent) {
        Json.ObjectWriter node = Json.object();
        node.put("name", agent.getName());
        node.put("online", Boolean.TRUE.equals(agent.getOnline()));
        if (agent.getLastSeen() != null) {
            node.put("last_seen", Timestamps.format(agent.getLastSeen()));
        }
        node.put("connections", agent.getConnections() == null ? 0 : agent.getConnections());
        node.put("waiting", Boolean.TRUE.equals(agent.getWaiting()));
        if (agent.getReadUpTo() != null) {
            node.put("read_up_to", agent.getReadUpTo());
        }
        if (agent.getBlockedUntil() != null) {
            node.put("blocked_until", Timestamps.format(agent.getBlockedUntil()));
        }
        return node.toString();
    }
}
