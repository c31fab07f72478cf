package dev.agentchat.cli.messages;

import dev.agentchat.cli.output.MessagePrinter;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.Checkpoint;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.follow.Follower;
import dev.agentchat.cli.client.MentionFilter;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.LastOption;
import dev.agentchat.cli.options.FollowOptions;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code agent-chat listen}: prints the room's messages as they come, until stopped. */
@Command(name = "listen", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Print the room's messages as they arrive, until stopped.",
    description = {"Prints the retained history, then each new message as it arrives:%n  [HH:MM:SS] agent: text",
        "Reconnects by itself and resumes where it stopped: no message is lost or printed twice.",
        "--last N shows only the newest N of the history (0: none); --count then counts only new messages."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat listen -u http://localhost:8765 -p s3cret",
        "  agent-chat listen -a coder --mentions --ids  (only what concerns coder)",
        "  agent-chat listen --last 0 --count 1         (exit on the next new message)",
        "  agent-chat listen --json | jq -r .text",
        "  agent-chat listen --transport poll           (behind a proxy that breaks streaming)"})
public class ListenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CursorStore cursors;

    public ListenCommand() {
        this(CursorStore.inStateDirectory(System.getenv()));
    }

    public ListenCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Mixin
    FollowOptions follow;

    @Mixin
    OutputOptions output;

    @Mixin
    LastOption last;

    @Option(names = "--mentions", description = "Only messages that mention you (@NAME) or are addressed to you (needs -a).")
    boolean mentions;

    @Override
    public Integer call() throws InterruptedException {
        String name = mentions ? agent.name() : agent.nameOrNull();
        RoomClient client = name == null ? room.client() : room.client(cursors, name);
        spec.commandLine().getErr().println("👂 Listening to " + client.address() + "...");
        spec.commandLine().getErr().flush();
        MessagePrinter printer = output.printer(spec.commandLine().getOut(), follow.ids());
        Integer newest = last.value();
        Checkpoint from = Checkpoint.START;
        if (newest != null) {
            // the newest of the history, read backwards a page at a time, is printed here and the
            // counter counts only what arrives after it
            RoomClient.Newest latest = client.newest(0, newest, m -> !mentions || MentionFilter.concerns(m, name));
            printer.printAll(latest.messages());
            from = latest.next();
        }
        FollowOptions.Counter counter = follow.counter();
        if (counter.done()) {
            return ExitCodes.OK;
        }
        new Follower(client, follow.transport(), name, mentions ? name : null, spec.commandLine().getErr(), follow.timeouts())
            .onRestart(printer::restarted)
            .follow(from, message -> {
                printer.print(message);
                return counter.more();
            });
        return ExitCodes.OK;
    }
}
