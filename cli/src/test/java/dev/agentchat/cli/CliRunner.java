package dev.agentchat.cli;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.options.CliFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code agent-chat} commands in this JVM as {@code main} does (the quick path of the one-shot
 * commands, else picocli), with captured output and its own state directory.
 */
final class CliRunner implements AutoCloseable {
    private final CursorStore cursors;
    private final CliFactory factory;

    CliRunner(Path stateDir) {
        cursors = new CursorStore(stateDir.resolve("cursors"));
        factory = new CliFactory(cursors);
    }

    /** Runs a command to its end. */
    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AgentChat.execute(cursors, args, new PrintWriter(out, true), new PrintWriter(err, true), true);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a command to its end through picocli only (never the quick path). */
    Result runThroughPicocli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AgentChat.commandLine(factory);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a long-lived command (listen, join) on a daemon thread; its output can be read while it runs. */
    Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AgentChat.commandLine(factory);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> exit.complete(commandLine.execute(args)), "cli-" + args[0]);
        thread.setDaemon(true);
        thread.start();
        return new Running(out, err, exit, thread);
    }

    @Override
    public void close() {
        // nothing to release: commands run without a container
    }

    record Result(int code, String out, String err) {
        String[] lines() {
            return out.isEmpty() ? new String[0] : out.split("\n");
        }
    }

    record Running(StringWriter outWriter, StringWriter errWriter, CompletableFuture<Integer> exit, Thread thread) {
        String out() {
            return outWriter.toString();
        }

        String err() {
            return errWriter.toString();
        }

        String[] lines() {
            String text = out();
            return text.isEmpty() ? new String[0] : text.split("\n");
        }
    }
}
