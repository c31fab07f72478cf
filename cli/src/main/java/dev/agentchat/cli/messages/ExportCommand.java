package dev.agentchat.cli.messages;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.RoomOptions;
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
        "The transcript is written as it arrives: a large room is never held in memory."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat export -u http://localhost:8765 -p s3cret > transcript.md",
        "  agent-chat export --format html > transcript.html",
        "  agent-chat export --format jsonl | jq -r 'select(.id) | .text'"})
public class ExportCommand implements Callable<Integer> {
    /** The formats a room writes its transcript in. */
    public enum Format { markdown, jsonl, html }

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "markdown",
        description = "markdown (default), jsonl or html.")
    Format format;

    @Override
    public Integer call() {
        room.client().export(format.name(), spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
