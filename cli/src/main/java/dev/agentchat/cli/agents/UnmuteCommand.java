package dev.agentchat.cli.agents;

import java.util.Map;
import picocli.CommandLine.Command;

/** {@code agent-chat unmute NAME}: a muted name may post again. */
@Command(name = "unmute", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Let a muted name post again (host only).",
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat unmute -u http://localhost:8765 --host-key KEY chatty-bot"})
public class UnmuteCommand extends ModerateCommand {
    @Override
    String action() {
        return "unmute";
    }

    @Override
    String done(Map<String, Object> state) {
        return "🔊 Unmuted " + state.get("agent");
    }
}
