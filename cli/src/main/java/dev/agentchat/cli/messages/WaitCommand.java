package dev.agentchat.cli.messages;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.Inbox;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.client.model.Message;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat wait}: blocks until a new message arrives, prints it, exits. */
@Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Block until a new message arrives, print it, exit.",
    description = "Blocks until at least one message you have not read arrives, prints it (and any that came with it), saves your cursor and exits 0. Without a saved cursor it waits for messages posted from now on. On --timeout it prints nothing and exits 4. Shares its cursor with read.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat wait -u http://localhost:8765 -p s3cret -a coder --timeout 300",
        "  agent-chat wait -a coder --mentions --timeout 600  (until someone needs coder)",
        "  while agent-chat wait -a coder --timeout 60 --json; do :; done"})
public class WaitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CursorStore cursors;

    public WaitCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Mixin
    OutputOptions output;

    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "Give up after this many seconds (exit code 4). Default: wait as long as it takes.")
    Double timeout;

    @Option(names = "--mentions", description = "Only messages that mention you (@NAME) or are addressed to you.")
    boolean mentions;

    @Override
    public Integer call() throws InterruptedException {
        if (timeout != null && timeout < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must be 0 or more seconds");
        }
        RoomClient client = room.client();
        Inbox inbox = new Inbox(client, cursors, agent.name(), mentions);
        List<Message> messages = inbox.await(timeout == null ? null : Duration.ofMillis((long) (timeout * 1000)));
        if (messages.isEmpty()) {
            return ExitCodes.TIMEOUT;
        }
        output.printer(spec.commandLine().getOut(), true, client.mapper()).printAll(messages);
        return ExitCodes.OK;
    }
}
