package dev.agentchat.cli.messages;

import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.output.MessagePrinter;
import dev.agentchat.client.model.AgentKind;
import dev.agentchat.client.model.Message;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.messages.SendCheck;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.Io;
import dev.agentchat.cli.options.RoomOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** {@code agent-chat send}: posts one message. */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Post a message to the room.",
    description = {"Posts a message and prints: ✅ Sent message as NAME",
        "Warns on stderr (and still sends) when others cannot @mention your name, when --to names someone nobody in the room has used, or when --reply-to answers a message dropped from the history; refuses (exit 2) a --reply-to id the room has not reached."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat send -u http://localhost:8765 -p s3cret -a planner -m 'Hello, room!'",
        "  agent-chat send -a coder --to planner,reviewer -m '@planner PR #4 is ready'",
        "  agent-chat send -a coder --reply-to '#12' -m 'Done.'",
        "  agent-chat send -a lead --ack -m '@dev1 @dev2 freeze main'   (then: agent-chat wait --acks ID)",
        "  git diff | agent-chat send -a coder -m -      (text from stdin)"})
public class SendCommand implements Callable<Integer> {
    /** Without -m, how long piped text may take to start arriving before it counts as not there. */
    static final Duration STDIN_GRACE = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    private final CursorStore cursors;

    public SendCommand() {
        this(CursorStore.inStateDirectory(System.getenv()));
    }

    public SendCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT",
        description = "The message text; '-' reads it from stdin until it ends. Without -m, text already piped in is sent.")
    String message;

    @Option(names = "--to", split = ",", paramLabel = "NAME", description = "Address the message to these agents (comma-separated).")
    List<String> to;

    @Option(names = "--reply-to", paramLabel = "ID", converter = Converters.MessageId.class,
        description = "The id of the message this one answers: 12 or '#12'.")
    Long replyTo;

    @Option(names = "--ack", description = "Ask the recipients to acknowledge it (agent-chat ack ID); wait for them with agent-chat wait --acks ID.")
    boolean ack;

    @Option(names = "--human", description = "Post as a person (kind human), not an agent: people are never held by the loop brake, and a person's message releases it.")
    boolean human;

    @Option(names = "--json", description = "Print the stored message as JSON (with its id) instead of the ✅ line.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String name = agent.name();
        RoomAddress address = room.roomAddress();
        String password = room.password();
        String kind = human ? "human" : "agent";
        return send(() -> RoomOptions.holdName(new RoomClient(address, password), cursors, name, kind),
            name, to, replyTo, message, ack, human, json, Io.of(spec));
    }

    /** The room refused the name (held by someone else, kicked): said so; any other failure as it is. */
    public static RoomException notSent(RoomException e) {
        if (!"name_claimed".equals(e.code()) && !"kicked".equals(e.code())) {
            return e;
        }
        return new RoomException(e.kind(), e.status(), e.getMessage() + " (the message was not sent)", e.code(), e.limit());
    }

    /**
     * The command once its name and room are checked: also the quick path's (no picocli model). Every
     * usage mistake (recipients, text) is found before {@code seat} makes the first request.
     *
     * @param seat the client for the room, holding {@code name}
     */
    public static int send(Supplier<RoomClient> seat, String name, List<String> to, Long replyTo, String message,
                           boolean ack, boolean human, boolean json, Io io) throws IOException, InterruptedException {
        List<String> recipients = recipients(to, io);
        String text = text(message, io);
        if (text.isBlank()) {
            throw io.usage("Message text required: it is empty");
        }
        RoomClient client;
        try {
            client = seat.get();
        } catch (RoomException e) {
            throw notSent(e);
        }
        SendCheck.Verdict verdict = client.checkSend(name, recipients, replyTo, ack);
        if (verdict.refusal() != null) {
            throw new CliException(ExitCodes.USAGE, verdict.refusal());
        }
        Message sent = client.send(name, text, recipients, replyTo, ack, human);
        // told once the room took the message: a refused one is said alone
        PrintWriter err = io.err();
        verdict.warnings().forEach(warning -> err.println("⚠️ " + warning));
        err.flush();
        if (human && sent.getKind() == AgentKind.AGENT) {
            // the room takes a held name's kind from its token: said, since --human then releases no loop brake
            err.println("⚠️ " + name + " is held as an agent, so the message is an agent's: to post as a person, "
                + "give the name up (agent-chat leave -a " + name + ") and send with --human again, or use another name");
            err.flush();
        }
        PrintWriter out = io.out();
        if (json) {
            out.println(new MessagePrinter(out, true, true).json(sent));
        } else {
            out.println("✅ Sent message as " + name + (ack && sent.getId() != null ? " (#" + sent.getId() + ", acknowledgements requested)" : ""));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The --to names, each checked against the name rule before anything is sent. */
    public static List<String> recipients(List<String> to, Io io) {
        List<String> names = to == null ? List.of() : to.stream().map(String::trim).toList();
        if (names.size() > NewMessageValidator.MAX_RECIPIENTS) {
            throw io.usage("--to: at most " + NewMessageValidator.MAX_RECIPIENTS + " names, not " + names.size());
        }
        for (String name : names) {
            String invalid = SendCheck.invalidName(name);
            if (invalid != null) {
                throw io.usage("--to: " + invalid);
            }
        }
        return names;
    }

    private static String text(String message, Io io) throws IOException, InterruptedException {
        if (message != null && !message.equals("-")) {
            return message;
        }
        if (message == null && System.console() != null) {
            throw io.usage("Missing required option: '--message=TEXT' (or '-m -' to read stdin)");
        }
        InputStream in = System.in;
        byte[] text = message == null ? piped(in, io) : in.readAllBytes();
        if (text.length == 0) {
            throw io.usage("Message text required: stdin was empty (pass -m TEXT)");
        }
        String string = new String(text, StandardCharsets.UTF_8);
        return string.endsWith("\n") ? string.substring(0, string.length() - (string.endsWith("\r\n") ? 2 : 1)) : string;
    }

    /**
     * Text piped in without {@code -m}: a host that leaves stdin open and writes nothing (no terminal,
     * no pipe either) must not make {@code send} hang, so nothing within {@link #STDIN_GRACE} is a usage error.
     */
    private static byte[] piped(InputStream in, Io io) throws IOException, InterruptedException {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                first.complete(in.read());
            } catch (IOException e) {
                first.completeExceptionally(e);
            }
        }, "send-stdin");
        reader.setDaemon(true);
        reader.start();
        int b;
        try {
            b = first.get(STDIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw io.usage("Missing required option: '--message=TEXT' (nothing was piped in; '-m -' waits for stdin)");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (b < 0) {
            return new byte[0];
        }
        byte[] rest = in.readAllBytes();
        byte[] all = new byte[rest.length + 1];
        all[0] = (byte) b;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
