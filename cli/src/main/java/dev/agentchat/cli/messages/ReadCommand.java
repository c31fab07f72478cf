package dev.agentchat.cli.messages;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.Inbox;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.LastOption;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.cli.output.MessagePrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code agent-chat read}: prints what this agent has not read yet, and exits. */
@Command(name = "read", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Print the messages you have not read yet, then exit.",
    description = {"Prints what you have not read yet, then exits:%n  [HH:MM:SS] #ID agent: text",
        "Your own messages are marked: [HH:MM:SS] #ID NAME (you): text. Lines after the first of a multi-line message start with '  | '.",
        "The first time, the room's topic comes first (📌 Topic: ...), then the whole retained history (--last N: only the newest N). Your cursor is saved per room, agent and scope (--mentions has its own) under $XDG_STATE_HOME/agent-chat (default ~/.local/state/agent-chat).",
        "A room found restarted since your last read (its ids begin again at #1) is read from its beginning, said on stderr and, with --json, as the line {\"event\":\"restarted\"} before its messages, as wait says it."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat read -u http://localhost:8765 -p s3cret -a coder",
        "  agent-chat read -a coder --last 20        (the newest 20 of what is unread)",
        "  agent-chat read -a coder --all --json    (everything retained, as NDJSON)",
        "  agent-chat read -a coder --mentions      (only what mentions or addresses coder)"})
public class ReadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CursorStore cursors;

    public ReadCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Mixin
    OutputOptions output;

    @Mixin
    LastOption last;

    @Option(names = "--all", description = "Ignore the saved cursor: print the whole retained history.")
    boolean all;

    @Option(names = "--mentions", description = "Only messages that mention you (@NAME) or are addressed to you.")
    boolean mentions;

    @Override
    public Integer call() {
        String name = agent.name();
        RoomClient client = room.client(cursors, name);
        Integer newest = last.value();
        return read(client, cursors, name, all, mentions, newest, output.printer(spec.commandLine().getOut(), true),
            output.json() ? spec.commandLine().getErr() : spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * The command, once its options are checked: also the quick path's (no picocli model).
     *
     * @param topicOut where a first read prints the room's topic (not the output when that is NDJSON)
     * @param err      where it says that the room was restarted, or that messages since the last read were
     *                 dropped from the history
     */
    public static int read(RoomClient client, CursorStore cursors, String name, boolean all, boolean mentions,
                           Integer newest, MessagePrinter printer, PrintWriter topicOut, PrintWriter err) {
        Inbox inbox = new Inbox(client, cursors, name, mentions);
        if (!inbox.readBefore()) {
            // the first read in this room: say what it is for
            JoinCommand.printTopic(client, topicOut);
        }
        MessagePrinter reader = printer.reader(name);
        inbox.read(all, newest, reader::printAll, notice -> {
            err.println(notice);
            err.flush();
            if (Inbox.restart(notice)) {
                reader.restarted(); // --json: the line that tells programs, before the new room's messages
            }
        });
        return ExitCodes.OK;
    }
}
