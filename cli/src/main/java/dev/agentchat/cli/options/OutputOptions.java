package dev.agentchat.cli.options;

import dev.agentchat.cli.output.MessagePrinter;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** How messages are printed: {@code --json} (NDJSON). */
public class OutputOptions {
    @Option(names = "--json", description = "Print one JSON object per message per line (NDJSON): id, agent, text, timestamp, kind, verified, and mentions, to, reply_to, the acknowledgement fields and own when set.")
    boolean json;

    public boolean json() {
        return json;
    }

    public MessagePrinter printer(PrintWriter out, boolean ids) {
        return printer(out, json, ids);
    }

    public static MessagePrinter printer(PrintWriter out, boolean json, boolean ids) {
        return new MessagePrinter(out, json, ids);
    }
}
