package dev.agentchat.cli;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.options.CliFactory;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several command lines, separated by a lone {@code ;}, in one JVM: the build's training run
 * for the one-shot commands' start-up archive (cli/src/build/cds-archive.sh), so that one JVM loads
 * every class that send, read, wait and who need: each line as {@code main} runs it (the quick path)
 * and again through picocli (which the quick path leaves help and mistakes to). Exit codes are
 * ignored. Not a user command.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) {
        CursorStore cursors = CursorStore.inStateDirectory(System.getenv());
        CliFactory factory = new CliFactory(cursors);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        List<String> line = new ArrayList<>();
        for (int i = 0; i <= args.length; i++) {
            if (i < args.length && !args[i].equals(";")) {
                line.add(args[i]);
                continue;
            }
            if (!line.isEmpty()) {
                String[] command = line.toArray(String[]::new);
                AgentChat.execute(cursors, command, out, err, false);
                AgentChat.commandLine(factory, command).execute(command);
                line.clear();
            }
        }
        System.exit(0);
    }
}
