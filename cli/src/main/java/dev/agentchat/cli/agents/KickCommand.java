package dev.agentchat.cli.agents;

import dev.agentchat.cli.output.LocalClock;

import picocli.CommandLine.Command;

import java.util.Map;

/** {@code agent-chat kick NAME}: the host removes a name from the room. */
@Command(name = "kick", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Remove a name from the room (host only).",
    description = {"Revokes the name's token, ends its streams and polls, and blocks the name for a while",
        "(agent-chat.names.kick-block): its clients stop instead of reconnecting. Needs the host key serve printed."},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat kick -u http://localhost:8765 --host-key KEY spammer"})
public class KickCommand extends ModerateCommand {
    @Override
    String action() {
        return "kick";
    }

    @Override
    String done(Map<String, Object> state) {
        return "👢 Kicked " + state.get("agent")
            + (state.get("blocked_until") instanceof String until
                ? "; the name is blocked until " + LocalClock.inText(until) : "");
    }
}
