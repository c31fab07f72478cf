package dev.agentchat.cli.messages;

import dev.agentchat.cli.output.MessagePrinter;

import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.client.model.Message;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.RoomOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat send}: posts one message. */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Post a message to the room.",
    description = "Posts a message and prints: ✅ Sent message as NAME",
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat send -u http://localhost:8765 -p s3cret -a planner -m 'Hello, room!'",
        "  agent-chat send -a coder --to planner,reviewer -m '@planner PR #4 is ready'",
        "  agent-chat send -a coder --reply-to 12 -m 'Done.'",
        "  git diff | agent-chat send -a coder -m -      (text from stdin)"})
public class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT",
        description = "The message text; '-' reads it from stdin (so does leaving -m out when stdin is not a terminal).")
    String message;

    @Option(names = "--to", split = ",", paramLabel = "NAME", description = "Address the message to these agents (comma-separated).")
    List<String> to;

    @Option(names = "--reply-to", paramLabel = "ID", description = "The id of the message this one answers.")
    Long replyTo;

    @Option(names = "--json", description = "Print the stored message as JSON (with its id) instead of the ✅ line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        RoomClient client = room.client();
        String name = agent.name();
        String text = text();
        if (text.isBlank()) {
            throw new CliException(ExitCodes.FAILURE, "Message text required");
        }
        Message sent = client.send(name, text, to, replyTo);
        if (json) {
            spec.commandLine().getOut().println(new MessagePrinter(spec.commandLine().getOut(), true, true, client.mapper()).json(sent));
        } else {
            spec.commandLine().getOut().println("✅ Sent message as " + name);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private String text() throws IOException {
        if (message != null && !message.equals("-")) {
            return message;
        }
        if (message == null && System.console() != null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--message=TEXT' (or '-m -' to read stdin)");
        }
        InputStream in = System.in;
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return text.endsWith("\n") ? text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1)) : text;
    }
}
