package dev.agentchat.cli.messages;

import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.client.model.Message;
import dev.agentchat.messages.MessageQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat search TEXT}: the retained messages that contain a text. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Find the retained messages that contain a text.",
    description = {"Prints the newest messages whose text contains TEXT (ignoring case), oldest first:%n  [HH:MM:SS] #ID agent: text",
        "Exits with 1 when nothing matches. --by keeps one author's messages; --before/--after bound the ids (page back with --before the first id shown)."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat search deploy -u http://localhost:8765 -p s3cret",
        "  agent-chat search 'build failed' --by ci --limit 5",
        "  agent-chat search deploy --before 120     (the matches older than #120)",
        "  agent-chat search deploy --json | jq -r .text"})
public class SearchCommand implements Callable<Integer> {
    /** Matches shown when --limit is not given. */
    static final int DEFAULT_LIMIT = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "TEXT", description = "What the messages contain (ignoring case; at most "
        + MessageQuery.MAX_SEARCH_LENGTH + " characters).")
    String text;

    @Option(names = "--by", paramLabel = "NAME", description = "Only messages sent by NAME.")
    String author;

    @Option(names = "--after", paramLabel = "ID", description = "Only messages after message #ID.")
    Long after;

    @Option(names = "--before", paramLabel = "ID", description = "Only messages before message #ID.")
    Long before;

    @Option(names = "--limit", paramLabel = "N", description = "At most N matches, the newest (default: " + DEFAULT_LIMIT + ").")
    Integer limit;

    @Override
    public Integer call() {
        if (text.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "TEXT must not be empty");
        }
        if (text.length() > MessageQuery.MAX_SEARCH_LENGTH) {
            throw new ParameterException(spec.commandLine(), "TEXT is " + text.length() + " characters; a search takes at most "
                + MessageQuery.MAX_SEARCH_LENGTH);
        }
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 or more");
        }
        String by = author == null ? null : AgentOption.checked(author, "--by", spec.commandLine());
        RoomClient client = room.client();
        List<Message> found = client.search(text, by, after, before, limit == null ? DEFAULT_LIMIT : limit);
        PrintWriter out = spec.commandLine().getOut();
        output.printer(out, true).printAll(found);
        if (found.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("No message contains '" + text + "'" + (by == null ? "" : " from " + by));
            err.flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
