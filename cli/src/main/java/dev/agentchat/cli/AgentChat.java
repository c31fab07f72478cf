package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import dev.agentchat.cli.agents.KickCommand;
import dev.agentchat.cli.agents.LeaveCommand;
import dev.agentchat.cli.agents.MuteCommand;
import dev.agentchat.cli.agents.UnmuteCommand;
import dev.agentchat.cli.agents.SeenCommand;
import dev.agentchat.cli.agents.WhoCommand;
import dev.agentchat.cli.claims.ClaimCommand;
import dev.agentchat.cli.claims.ClaimsCommand;
import dev.agentchat.cli.claims.ReleaseCommand;
import dev.agentchat.cli.messages.AckCommand;
import dev.agentchat.cli.messages.BrakeCommand;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.messages.ExportCommand;
import dev.agentchat.cli.messages.JoinCommand;
import dev.agentchat.cli.messages.ListenCommand;
import dev.agentchat.cli.messages.ReadCommand;
import dev.agentchat.cli.messages.SearchCommand;
import dev.agentchat.cli.messages.SendCommand;
import dev.agentchat.cli.messages.TopicCommand;
import dev.agentchat.cli.messages.WaitCommand;
import dev.agentchat.cli.mcp.McpCommand;
import dev.agentchat.cli.options.CliFactory;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.serve.RoomCommand;
import dev.agentchat.cli.serve.RoomsCommand;
import dev.agentchat.cli.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code agent-chat} command: prints its usage; the work is done by its subcommands. */
@Command(
    name = "agent-chat",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Temporary, password-protected chat rooms where AI agents and people talk in real time.",
        "",
        "AI agents: read the room's guide, URL/skill.md (no password needed; SKILL.md in the agent-chat repository says the same for the CLI): the shortest path to being a good citizen of a room (joining, the read/wait loop, mentions).",
        ""},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat serve --password s3cret --tunnel cloudflared",
        "  agent-chat join -u https://x.trycloudflare.com -p s3cret -a planner",
        "  export AGENT_CHAT_URL=http://localhost:8765 AGENT_CHAT_PASSWORD=s3cret",
        "  export AGENT_CHAT_NAME=coder",
        "  agent-chat send -m 'build is green @planner'",
        "  agent-chat wait --mentions --timeout 300",
        "",
        "Environment: AGENT_CHAT_URL, AGENT_CHAT_PASSWORD and AGENT_CHAT_NAME stand in",
        "for -u, -p and -a (so passwords need not appear in command lines)."})
public class AgentChat implements java.util.concurrent.Callable<Integer> {
    /**
     * The subcommands, in the order the usage lists them. Built on demand, not when the class loads:
     * reading their annotations costs a quick one-shot command tens of milliseconds for nothing.
     */
    static Map<String, Class<?>> subcommands() {
        return byName(ServeCommand.class, RoomCommand.class, RoomsCommand.class, SendCommand.class,
        ListenCommand.class, JoinCommand.class, ReadCommand.class, WaitCommand.class, AckCommand.class, WhoCommand.class,
        SeenCommand.class, LeaveCommand.class, ClaimCommand.class, ReleaseCommand.class, ClaimsCommand.class,
        KickCommand.class, MuteCommand.class, UnmuteCommand.class, SearchCommand.class, ExportCommand.class,
        TopicCommand.class, BrakeCommand.class, McpCommand.class, CommandLine.HelpCommand.class);
    }

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // on the descriptors, not System.out: a PrintStream hides a failed write, which must stop a reader
        // before its cursor moves past what it could not show
        PrintWriter out = stream(new FileOutputStream(FileDescriptor.out), "sun.stdout.encoding");
        PrintWriter err = stream(new FileOutputStream(FileDescriptor.err), "sun.stderr.encoding");
        int code = execute(CursorStore.inStateDirectory(System.getenv()), args, out, err, true);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs a command line: a plain one-shot command ({@link QuickCommands}) without picocli's model,
     * everything else through picocli.
     *
     * @param picocliStreams whether picocli writes to {@code out} and {@code err} too (otherwise to
     *                       its own writers on the same streams)
     */
    static int execute(CursorStore cursors, String[] args, PrintWriter out, PrintWriter err, boolean picocliStreams) {
        Integer quick = QuickCommands.run(args, cursors, System.getenv(), out, err);
        if (quick != null) {
            return quick;
        }
        CommandLine commandLine = commandLine(new CliFactory(cursors), args);
        if (picocliStreams) {
            commandLine.setOut(out);
            commandLine.setErr(err);
        }
        return commandLine.execute(args);
    }

    /** A writer on {@code stream} as picocli makes its own: the JVM's encoding for it, buffered, flushed at each line. */
    private static PrintWriter stream(OutputStream stream, String encodingProperty) {
        String name = System.getProperty(encodingProperty);
        Charset charset = Charset.defaultCharset();
        if (name != null) {
            try {
                charset = Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
            } catch (RuntimeException e) {
                // picocli too falls back to the default
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }

    /** The configured command line with every subcommand: error handling, exit codes and usage footers. */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        return commandLine(factory, new String[0]);
    }

    /**
     * The configured command line for these arguments. When they name a subcommand, only that one is
     * built: picocli reflects over every command it is given, and the others would cost a one-shot
     * command start-up time for nothing. Anything else (no arguments, --help, a typo) gets all of them,
     * for the usage and the suggestions.
     */
    public static CommandLine commandLine(CommandLine.IFactory factory, String[] args) {
        CommandLine commandLine = new CommandLine(AgentChat.class, factory);
        Map<String, Class<?>> subcommands = subcommands();
        Class<?> named = args.length > 0 ? subcommands.get(args[0]) : null;
        if (named == CommandLine.HelpCommand.class) {
            named = null; // help COMMAND prints another command's usage: it needs them all
        }
        for (Class<?> subcommand : named != null ? List.<Class<?>>of(named) : subcommands.values()) {
            commandLine.addSubcommand(subcommand);
        }
        ErrorHandler errors = new ErrorHandler();
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // a long option may be shortened while it stays unambiguous (--pass, --mess), as the original CLI took it;
        // picocli's matcher fails on an argument with no name after its dashes ('', '-', '-=', '--='), which is
        // then left to the command's own checks
        commandLine.setAbbreviatedOptionsAllowed(java.util.Arrays.stream(args).noneMatch(AgentChat::namelessOption));
        Converters.register(commandLine);
        commandLine.setUsageHelpWidth(100);
        withExitCodes(commandLine);
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(commandLine.getCommandSpec().versionProvider()); // -V on every command
            withExitCodes(sub);
        }
        return commandLine;
    }

    /** Ends the command's usage with the exit codes ({@link ExitCodes#HELP}). */
    private static void withExitCodes(CommandLine command) {
        String[] footer = command.getCommandSpec().usageMessage().footer();
        String[] withCodes = java.util.Arrays.copyOf(footer, footer.length + 2);
        withCodes[footer.length] = "";
        withCodes[footer.length + 1] = ExitCodes.HELP;
        command.getCommandSpec().usageMessage().footer(withCodes);
    }

    /** An argument with nothing but dashes before its end or its '=' (not '--', which ends the options). */
    private static boolean namelessOption(String argument) {
        return !argument.equals("--") && argument.matches("-{0,2}(=.*)?");
    }

    private static Map<String, Class<?>> byName(Class<?>... classes) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> type : classes) {
            byName.put(type.getAnnotation(Command.class).name(), type);
        }
        return Collections.unmodifiableMap(byName);
    }

    /** Without a subcommand: the usage, and a non-zero exit like the original tool. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }
}
