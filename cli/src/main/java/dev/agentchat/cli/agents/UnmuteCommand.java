package dev.agentchat.cli.agents;

import dev.agentchat.client.model.Moderation;
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
    String done(Moderation state) {
        return "🔊 Unmuted " + state.getAgent();
    }
}
