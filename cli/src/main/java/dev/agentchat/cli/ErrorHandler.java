package dev.agentchat.cli;

import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;

import dev.agentchat.cli.client.RoomException;
import dev.agentchat.error.ApiError;
import dev.agentchat.mcp.ToolText;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Arrays;

/** Maps every failure to one line on stderr and an exit code from {@link ExitCodes}; never a stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final String MARK = "❌ ";

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        if (ex instanceof ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        return report(ex, commandLine.getErr());
    }

    /** A failure while a command ran (not a usage mistake): one line on {@code err}, and its exit code. */
    static int report(Exception ex, PrintWriter err) {
        int code;
        String message;
        if (ex instanceof CliException cli) {
            code = cli.exitCode();
            message = cli.getMessage();
        } else if (ex instanceof RoomException room) {
            code = exitCode(room.kind());
            message = ApiError.LOOP_BRAKE.code().equals(room.code())
                ? room.getMessage() + ". " + ToolText.WHILE_HELD + "; agent-chat brake shows the brake"
                : room.getMessage();
        } else if (ex instanceof java.io.UncheckedIOException io) {
            code = ExitCodes.FAILURE;
            message = io.getMessage();
        } else {
            code = ExitCodes.INTERNAL;
            message = "Unexpected error: " + ex;
        }
        if (message != null && !message.isEmpty()) {
            err.println(MARK + message);
        }
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(MARK + withoutArguments(ex));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        if (ex instanceof CommandLine.UnmatchedArgumentException && "send".equals(cmd.getCommandName())) {
            // the likeliest cause: the text given as it is to echo, not after -m
            err.println("The message text goes after -m (agent-chat send -m 'TEXT'), or is piped in.");
        }
        if (cmd.getCommandSpec().findOption("-a") == null && Arrays.stream(args).anyMatch(ErrorHandler::namesAnAgent)) {
            // the flags of send, read and wait, carried over to a command that reads the room as anyone
            err.println("'" + cmd.getCommandName() + "' does not act as a name: leave out -a/--agent-name.");
        }
        err.println("Usage: " + cmd.getHelp().synopsis(0).trim());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * The parser's message, except when the parser itself failed: its message then lists every argument,
     * passwords and host keys included, which must not reach a terminal's scrollback or a log; nor does
     * a KEY=VALUE option's argument without its '='.
     */
    private static String withoutArguments(ParameterException ex) {
        String message = String.valueOf(ex.getMessage());
        if (ex.getArgSpec() instanceof CommandLine.Model.OptionSpec option && message.contains("should be in KEY=VALUE format")) {
            // the parser's sentence says "option option" and repeats the argument, which may hold a password
            return "Invalid value for option '" + option.longestName() + "': expected KEY=VALUE, with '=' between the key and its value";
        }
        int listed = message.indexOf(" while processing argument at or before arg[");
        return listed < 0 ? message : "Cannot read the command's arguments (" + message.substring(0, listed) + ")";
    }

    private static boolean namesAnAgent(String argument) {
        return argument.equals("-a") || argument.startsWith("-a=") || argument.equals("--agent-name")
            || argument.startsWith("--agent-name=");
    }

    /** The exit code for a failure reported by the room client. */
    static int exitCode(RoomException.Kind kind) {
        return switch (kind) {
            case UNREACHABLE -> ExitCodes.UNREACHABLE;
            case INVALID_URL -> ExitCodes.USAGE;
            case INVALID_PASSWORD, REJECTED, UNSUPPORTED, PROTOCOL -> ExitCodes.FAILURE;
        };
    }
}
