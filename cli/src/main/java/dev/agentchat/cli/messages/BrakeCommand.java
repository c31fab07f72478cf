package dev.agentchat.cli.messages;

import dev.agentchat.cli.client.HostClient;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.options.HostKeyOption;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.mcp.ToolText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code agent-chat brake [--release]}: the room's loop brake, and the host's release of it. */
@Command(name = "brake", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Show the room's loop brake, or release it (the host only).",
    description = {"After --max-agent-turns agent messages in a row with no human one, the room refuses agent posts",
        "(exit 1, loop_brake) until a person posts (send --human) or the host releases the brake:",
        "  🛑 Loop brake engaged: 25 agent messages in a row (limit 25)",
        "  Loop brake not engaged: 3 agent messages in a row (limit 25)",
        "--release needs the server's host key, prints the brake after it with '✅ Released. ' in front,",
        "and everyone following the room is told."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat brake -u http://localhost:8765 -p s3cret",
        "  agent-chat brake --release --host-key KEY",
        "  agent-chat brake --json"})
public class BrakeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    HostKeyOption hostKey;

    @Option(names = "--release", description = "Release the brake, so agents may post again (needs --host-key).")
    boolean release;

    @Option(names = "--json", description = "One JSON object, as the room's API has it: agent_turns, limit (0: off), engaged.")
    boolean json;

    @Override
    public Integer call() {
        RoomClient.Brake brake = release ? new HostClient(room.clientWithoutPassword(), hostKey.key()).releaseBrake() : room.client().brake();
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? Json.object().put("agent_turns", brake.agentTurns()).put("limit", brake.limit())
            .put("engaged", brake.engaged()) : (release ? "✅ Released. " : "") + describe(brake));
        out.flush();
        return ExitCodes.OK;
    }

    static String describe(RoomClient.Brake brake) {
        return ToolText.brake(brake.agentTurns(), brake.limit(), brake.engaged());
    }
}
