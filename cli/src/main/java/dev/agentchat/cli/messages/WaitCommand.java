package dev.agentchat.cli.messages;

import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.Inbox;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.client.model.Message;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.cli.output.MessagePrinter;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;

/** {@code agent-chat wait}: blocks until a new message arrives, prints it, exits. */
@Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Block until a new message arrives, print it, exit.",
    description = "Blocks until at least one message from someone else that you have not read arrives (your own messages never wake it, but it reads past them), prints it (and any that came with it), saves your cursor and exits 0. Without a saved cursor it waits for messages posted from now on. On --timeout it prints no message and exits 4; no request keeps it longer. A server that stops answering or is full meanwhile, or is away when it starts once you have read there, is waited for (said once on stderr); still away at the timeout, it exits 3. A room found restarted (its ids begin again at #1) is said on stderr and, with --json, as the line {\"event\":\"restarted\"} before its messages, as listen says it. Shares its cursor with read.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat wait -u http://localhost:8765 -p s3cret -a coder --timeout 300",
        "  agent-chat wait -a coder --mentions --timeout 10m  (until someone needs coder)",
        "  agent-chat wait --acks 12 --timeout 5m  (until everyone #12 addresses has acknowledged it)",
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

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Seconds.class,
        description = "Give up after this long (exit code 4): seconds, or e.g. 30s, 5m, 1h. Default: wait as long as it takes.")
    Duration timeout;

    @Option(names = "--mentions", description = "Only messages that mention you (@NAME) or are addressed to you.")
    boolean mentions;

    @Option(names = "--acks", paramLabel = "ID", converter = Converters.MessageId.class,
        description = "Instead: wait until message ID is acknowledged by the agents it addresses (its --to and @mentions), or by --from; exit 4 on --timeout. With --json: one JSON object, id and acks, as ack --json prints.")
    Long acksOf;

    @Option(names = "--from", split = ",", paramLabel = "NAME",
        description = "With --acks: the agents whose acknowledgements to wait for (comma-separated).")
    List<String> from;

    @Override
    public Integer call() throws InterruptedException {
        if (acksOf != null) {
            return new AckWait(room.client(), acksOf, from)
                .await(timeout, output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        String name = agent.name();
        RoomClient client = RoomOptions.holdName(giveUpAfter(room.client(), timeout), cursors, name, "agent");
        return await(client, cursors, name, mentions, timeout, output.printer(spec.commandLine().getOut(), true),
            spec.commandLine().getErr());
    }

    /**
     * {@code client}, whose requests (the name's claim among them) give up once {@code timeout} is
     * over: a server that takes connections and never answers keeps the command no longer.
     */
    public static RoomClient giveUpAfter(RoomClient client, @Nullable Duration timeout) {
        client.giveUpAt(timeout == null ? null : Instant.now().plus(timeout));
        return client;
    }

    /** The command, once its options are checked and the name held: also the quick path's (no picocli model). */
    public static int await(RoomClient client, CursorStore cursors, String name, boolean mentions, Duration timeout,
                            MessagePrinter printer, PrintWriter err) throws InterruptedException {
        Inbox inbox = new Inbox(client, cursors, name, mentions);
        MessagePrinter reader = printer.reader(name);
        AtomicReference<String> trouble = new AtomicReference<>();
        // printed before the cursor moves past them: output that fails leaves them unread
        List<Message> messages = inbox.await(timeout, notice -> {
            trouble.updateAndGet(before -> Inbox.trouble(before, notice));
            err.println(notice);
            err.flush();
            if (Inbox.restart(notice)) {
                reader.restarted(); // --json: the line that tells programs, before the new room's messages
            }
        }, reader::printAll);
        if (messages.isEmpty() && trouble.get() != null) {
            // not "nobody wrote": nobody could have been heard
            throw new CliException(ExitCodes.UNREACHABLE, "The server did not answer again before the timeout");
        }
        return messages.isEmpty() ? ExitCodes.TIMEOUT : ExitCodes.OK;
    }
}
