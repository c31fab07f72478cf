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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Maps every failure to one line on stderr and an exit code from {@link ExitCodes}; never a stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final String MARK = "❌ ";
    /** The labels of the options whose values are secrets (passwords, the host key), never repeated in an error. */
    private static final Set<String> SECRET_LABELS = Set.of("PASSWORD", "KEY");
    /** How picocli's {@code help} command refuses a command it does not know. */
    private static final Pattern UNKNOWN_FOR_HELP = Pattern.compile("Unknown subcommand '(.*)'\\.");

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
        String mistyped = mistypedCommand(ex);
        String unknownOption = mistyped == null ? unknownLongOption(ex) : null;
        if (mistyped != null) {
            // the rest of the line is the command's, which is not known: only the word that is not a command
            err.println(MARK + "Unknown command '" + mistyped + "'");
            suggest(CommandSuggestions.closest(mistyped, cmd.getSubcommands().keySet()).stream()
                .map(command -> cmd.getCommandName() + " " + command).toList(), err);
        } else if (unknownOption != null) {
            err.println(MARK + withoutArguments(ex));
            suggest(CommandSuggestions.closest(unknownOption, longOptions(cmd)), err);
        } else {
            err.println(MARK + withoutArguments(ex));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        }
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
     * The word given where the command goes when it names none ({@code agent-chat sned ...}, or
     * {@code agent-chat help sned}, which picocli's help command refuses in words of its own); else null.
     */
    private static String mistypedCommand(ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        Matcher helpFor = UNKNOWN_FOR_HELP.matcher(String.valueOf(ex.getMessage()));
        if (cmd.getParent() == null && helpFor.matches()) {
            return helpFor.group(1);
        }
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched) || cmd.getParent() != null
            || unmatched.getUnmatched().isEmpty()) {
            return null;
        }
        String first = unmatched.getUnmatched().get(0);
        return first.startsWith("-") || first.startsWith("@") || cmd.getSubcommands().containsKey(first) ? null : first;
    }

    private static void suggest(List<String> closest, PrintWriter err) {
        if (!closest.isEmpty()) {
            err.println("Did you mean: " + String.join(" or ", closest) + "?");
        }
    }

    /** The name of a long option the command does not have ({@code read --lsat 3}: {@code --lsat}); else null. */
    private static String unknownLongOption(ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched) || !unmatched.isUnknownOption()) {
            return null;
        }
        String first = unmatched.getUnmatched().get(0);
        int equals = first.indexOf('=');
        String name = equals < 0 ? first : first.substring(0, equals);
        return name.startsWith("--") && name.length() > 2 ? name : null;
    }

    private static List<String> longOptions(CommandLine cmd) {
        return cmd.getCommandSpec().options().stream().flatMap(option -> Arrays.stream(option.names()))
            .filter(name -> name.startsWith("--")).toList();
    }

    /**
     * The parser's message, except when the parser itself failed: its message then lists every argument,
     * passwords and host keys included, which must not reach a terminal's scrollback or a log; nor does
     * a KEY=VALUE option's argument without its '=', nor the value of a secret option among arguments
     * the parser could not match (a mistyped command's).
     */
    private static String withoutArguments(ParameterException ex) {
        String message = String.valueOf(ex.getMessage());
        int listed = message.indexOf(": '");
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && listed >= 0 && !unmatched.getUnmatched().isEmpty()) {
            // the parser lists them as given: a mistyped command (agent-chat sned -p s3cret) would show its password
            return message.substring(0, listed + 2) + masked(unmatched.getUnmatched(), secretOptions(ex.getCommandLine()));
        }
        if (ex.getArgSpec() instanceof CommandLine.Model.OptionSpec option && message.contains("should be in KEY=VALUE format")) {
            // the parser's sentence says "option option" and repeats the argument, which may hold a password
            return "Invalid value for option '" + option.longestName() + "': expected KEY=VALUE, with '=' between the key and its value";
        }
        int failed = message.indexOf(" while processing argument at or before arg[");
        return failed < 0 ? message : "Cannot read the command's arguments (" + message.substring(0, failed) + ")";
    }

    /** The names of every option, in any command, whose value is a secret: a password or the host key. */
    private static Set<String> secretOptions(CommandLine commandLine) {
        CommandLine root = commandLine;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Set<String> secrets = new HashSet<>();
        Deque<CommandLine> commands = new ArrayDeque<>(List.of(root));
        while (!commands.isEmpty()) {
            CommandLine command = commands.pop();
            for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                if (SECRET_LABELS.contains(option.paramLabel())) {
                    secrets.addAll(List.of(option.names()));
                }
            }
            commands.addAll(command.getSubcommands().values());
        }
        return secrets;
    }

    /**
     * {@code arguments} quoted as the parser lists them, the value of a secret option shown as
     * {@code ***}: after it, after its '=', or joined to its short name ({@code -ps3cret}); a long name
     * cut short ({@code --pass}) or mistyped ({@code --pasword}) counts.
     */
    static String masked(List<String> arguments, Set<String> secrets) {
        List<String> shown = new ArrayList<>(arguments.size());
        boolean hideNext = false;
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            String name = equals < 0 ? argument : argument.substring(0, equals);
            if (hideNext) {
                shown.add("***");
                hideNext = false;
            } else if (isSecret(name, secrets)) {
                shown.add(equals < 0 ? argument : name + "=***");
                hideNext = equals < 0;
            } else if (!argument.startsWith("--") && secrets.stream().anyMatch(s -> s.length() == 2 && argument.startsWith(s))
                && argument.length() > 2) {
                shown.add(argument.substring(0, 2) + "***");
            } else {
                shown.add(argument);
            }
        }
        return shown.stream().map(argument -> "'" + argument + "'").collect(Collectors.joining(", "));
    }

    /**
     * Whether {@code name} is, or may have been meant as, a secret option: one of them, a long one cut
     * short ({@code --pass}), or one mistyped ({@code --pasword}, {@code --host-kye}), as the parser
     * would not take it but its value is still the secret.
     */
    private static boolean isSecret(String name, Set<String> secrets) {
        return secrets.contains(name)
            || name.startsWith("--") && name.length() > 2 && secrets.stream().anyMatch(s -> s.startsWith("--")
                && (s.startsWith(name) || !CommandSuggestions.closest(name, List.of(s)).isEmpty()));
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
