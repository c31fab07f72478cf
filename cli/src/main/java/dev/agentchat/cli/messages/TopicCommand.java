package dev.agentchat.cli.messages;

import dev.agentchat.cli.client.HostClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.HostKeyOption;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.room.RoomTopics;
import dev.agentchat.messages.VisibleText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code agent-chat topic [TEXT]}: prints the room's topic, or sets it as the host. */
@Command(name = "topic", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Print the room's topic, or set it (the host only).",
    description = {"Without TEXT, prints what the room is for (when it has no topic, stdout stays empty and stderr says so).",
        "With TEXT (or --clear), sets it: that needs the server's host key (the password is not needed), and everyone following the room is told."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat topic -u http://localhost:8765 -p s3cret",
        "  agent-chat topic 'Review the parser design before Friday' --host-key KEY",
        "  agent-chat topic --clear --host-key KEY"})
public class TopicCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    HostKeyOption hostKey;

    @Parameters(paramLabel = "TEXT", arity = "0..1", description = "The new topic (one line of at most "
        + RoomTopics.MAX_LENGTH + " characters).")
    String text;

    @Option(names = "--clear", description = "Remove the topic.")
    boolean clear;

    @Override
    public Integer call() {
        if (text != null && clear) {
            throw new ParameterException(spec.commandLine(), "TEXT and --clear contradict each other: give one of them");
        }
        if (text != null && !RoomTopics.fits(text)) {
            throw new ParameterException(spec.commandLine(), RoomTopics.tooLong("TEXT", text));
        }
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> topic = text == null && !clear ? room.client().topic()
            : new HostClient(room.clientWithoutPassword(), hostKey.key()).setTopic(clear ? "" : text);
        topic.map(VisibleText::of).ifPresent(out::println);
        out.flush();
        if (topic.isEmpty() && text == null && !clear) {
            spec.commandLine().getErr().println("Topic: " + RoomTopics.NONE);
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }
}
