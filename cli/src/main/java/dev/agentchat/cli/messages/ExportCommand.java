package dev.agentchat.cli.messages;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.messages.Transcript;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code agent-chat export}: the room's transcript on stdout. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Write the room's transcript (every retained message) to stdout.",
    description = {"Writes every retained message with its id, time, author, addressees and the message it answers, under the room's name and topic.",
        "Formats: markdown (a document), jsonl (one JSON message per line, after a line about the room), html (one self-contained page that prints well).",
        "Markdown and html are safe to print and to render: message text cannot become HTML or a script link, and control characters (terminal escapes) show as U+FFFD; jsonl is exact. Each message shows who has acknowledged it.",
        "The transcript is written as it arrives: a large room is never held in memory.",
        "--after and --max-bytes take it in parts: a part cut short ends with 'More messages follow #N' (jsonl: {\"more_after\":N}); the next part is --after N."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat export -u http://localhost:8765 -p s3cret > transcript.md",
        "  agent-chat export --format html > transcript.html",
        "  agent-chat export --format jsonl | jq -r 'select(.id) | .text'",
        "  agent-chat export --max-bytes 100000 --after 1200"})
public class ExportCommand implements Callable<Integer> {
    /** The formats a room writes its transcript in. */
    public enum Format { markdown, jsonl, html }

    private static final long MIN_BYTES = Transcript.Part.MIN_BYTES;

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "markdown",
        description = "markdown (default), jsonl or html.")
    Format format;

    @Option(names = "--after", paramLabel = "ID", defaultValue = "0",
        description = "Only the messages after this id (default 0: from the first retained one).")
    long after;

    @Option(names = "--max-bytes", paramLabel = "N",
        description = "At most about N bytes (from 1024), whole messages and at least one; the rest is --after the last one shown.")
    Long maxBytes;

    @Override
    public Integer call() {
        if (after < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--after takes a message id, 0 or more");
        }
        if (maxBytes != null && maxBytes < MIN_BYTES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-bytes takes a number of bytes from " + MIN_BYTES);
        }
        room.client().export(format.name(), after, maxBytes, spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
