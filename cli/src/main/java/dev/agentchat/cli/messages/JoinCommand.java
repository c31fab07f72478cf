package dev.agentchat.cli.messages;

import dev.agentchat.cli.output.MessagePrinter;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.Checkpoint;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.follow.Follower;
import dev.agentchat.client.model.Message;
import dev.agentchat.cli.client.Inbox;
import dev.agentchat.messages.SendCheck;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.LastOption;
import dev.agentchat.cli.options.FollowOptions;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat join}: history, {@code --- end of history ---}, a join message, then listen. */
@Command(name = "join", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Print the history, announce yourself, then listen.",
    description = "Prints the room's history (--last N: only the newest N), then '--- end of history ---', posts '*joined the chat*' as NAME, and keeps printing new messages like listen.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat join -u https://x.trycloudflare.com -p s3cret -a reviewer",
        "  AGENT_CHAT_PASSWORD=s3cret agent-chat join -u http://localhost:8765 -a reviewer --ids"})
public class JoinCommand implements Callable<Integer> {
    static final String END_OF_HISTORY = "--- end of history ---";
    static final String JOINED = "*joined the chat*";

    @Spec
    CommandSpec spec;

    private final CursorStore cursors;

    public JoinCommand() {
        this(CursorStore.inStateDirectory(System.getenv()));
    }

    public JoinCommand(CursorStore cursors) {
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

    @Override
    public Integer call() throws InterruptedException {
        String name = agent.name();
        RoomClient client = room.client(cursors, name);
        Integer newest = last.value();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("🤖 Joining as " + name + "...");
        String unmentionable = SendCheck.unmentionable(name);
        if (unmentionable != null) {
            err.println("⚠️ " + unmentionable);
        }
        err.flush();
        MessagePrinter printer = output.printer(out, follow.ids());
        List<Message> history = client.history();
        List<Message> shown = Inbox.newest(history, newest);
        printer.printAll(shown);
        if (!shown.isEmpty() && !output.json()) {
            out.println(END_OF_HISTORY);
            out.flush();
        }
        client.send(name, JOINED, null, null);
        FollowOptions.Counter counter = follow.counter();
        new Follower(client, follow.transport(), name, null, spec.commandLine().getErr(), follow.timeouts())
            .follow(resumeAfter(history), message -> {
                printer.print(message);
                return counter.more();
            });
        return ExitCodes.OK;
    }

    /** After the history: its last id, or its length on the original server (which has no ids). */
    static Checkpoint resumeAfter(List<Message> history) {
        if (history.isEmpty()) {
            return Checkpoint.START;
        }
        Message last = history.get(history.size() - 1);
        return last.getId() != null ? Checkpoint.of(last) : Checkpoint.at(history.size());
    }
}
