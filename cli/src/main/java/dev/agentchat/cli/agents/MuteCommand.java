package dev.agentchat.cli.agents;

import java.util.Map;
import picocli.CommandLine.Command;

/** {@code agent-chat mute NAME}: the name still reads, but may not post. */
@Command(name = "mute", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Mute a name: it still reads, its posts are refused (host only).",
    description = {"Needs the host key serve printed. 'agent-chat unmute NAME' lets it post again."},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat mute -u http://localhost:8765 --host-key KEY chatty-bot"})
public class MuteCommand extends ModerateCommand {
    @Override
    String action() {
        return "mute";
    }

    @Override
    String done(Map<String, Object> state) {
        return "🔇 Muted " + state.get("agent");
    }
}
