package dev.agentchat.cli;

import dev.agentchat.cli.agents.WhoCommand;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.messages.ReadCommand;
import dev.agentchat.cli.messages.SendCommand;
import dev.agentchat.cli.messages.WaitCommand;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.CliFactory;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.Io;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.messages.SendCheck;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.File;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one-shot commands agents run many times a session ({@code send}, {@code read}, {@code wait},
 * {@code who}) without building picocli's model of them: picocli reflects over a command's
 * annotations and registers its converters before it parses anything, about a tenth of a second of
 * a new JVM's time. Only plain command lines are taken here: the options of the command, each once
 * ({@code --to} may repeat), as {@code --name value}, {@code --name=value} or {@code -x value}, with
 * values that do not start with {@code -} (but {@code -} itself), and an {@code @file} argument only
 * when no such file can be read (picocli would expand it), {@code @@} standing for {@code @} as in
 * picocli. Anything else (help, a typo, a clustered or attached short option, a missing or invalid
 * URL, password or name, a value its converter refuses) returns null before anything was done, and
 * picocli runs the command line as always, with its messages. A usage mistake found later (empty
 * text on stdin) is rendered by picocli's error handler, so the output is the same either way.
 */
final class QuickCommands {
    /** Per command: its options, each with whether it takes a value. */
    private static final Map<String, Map<String, Boolean>> OPTIONS = Map.of(
        "send", options("-u --url -p --password -a --agent-name -m --message --to --reply-to", "--ack --human --json"),
        "read", options("-u --url -p --password -a --agent-name --last", "--json --all --mentions"),
        // wait --acks (and its --from) is left to picocli
        "wait", options("-u --url -p --password -a --agent-name --timeout", "--json --mentions"),
        "who", options("-u --url -p --password", "--json"));
    /** The long name each short option stands for. */
    private static final Map<String, String> LONG = Map.of("-u", "--url", "-p", "--password", "-a", "--agent-name", "-m", "--message");
    private static final Set<String> REPEATABLE = Set.of("--to");

    private QuickCommands() {
    }

    /**
     * Runs {@code args} when they are a plain one-shot command line.
     *
     * @return the exit code, or null when picocli must run them instead (nothing was done)
     */
    @Nullable
    static Integer run(String[] args, CursorStore cursors, Map<String, String> env, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || !OPTIONS.containsKey(args[0])) {
            return null;
        }
        String command = args[0];
        Map<String, List<String>> given = parse(args, OPTIONS.get(command));
        if (given == null) {
            return null;
        }
        String url = value(given, "--url", env.get("AGENT_CHAT_URL"));
        String password = value(given, "--password", env.get("AGENT_CHAT_PASSWORD"));
        if (blank(url) || blank(password)) {
            return null;
        }
        RoomAddress address;
        try {
            address = RoomAddress.parse(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (address.namesNoRoom()) {
            return null; // picocli's commands say what is missing
        }
        String name = null;
        if (!command.equals("who")) {
            String raw = value(given, "--agent-name", env.get("AGENT_CHAT_NAME"));
            if (blank(raw) || AgentOption.invalid(raw.strip()) != null) {
                return null;
            }
            name = raw.strip();
        }
        boolean json = given.containsKey("--json");
        boolean mentions = given.containsKey("--mentions");
        // every value converted and checked before anything is done
        List<String> to;
        Long replyTo;
        Integer last;
        Duration timeout;
        String message = value(given, "--message", null);
        try {
            to = given.containsKey("--to") ? split(given.get("--to")) : null;
            String replyText = value(given, "--reply-to", null);
            replyTo = replyText == null ? null : new Converters.MessageId().convert(replyText);
            String lastText = value(given, "--last", null);
            last = lastText == null ? null : Converters.integer(lastText);
            String timeoutText = value(given, "--timeout", null);
            timeout = timeoutText == null ? null : new Converters.Seconds().convert(timeoutText);
        } catch (RuntimeException notPlain) {
            return null; // picocli says what is wrong with the value
        }
        if (last != null && last < 0 || message != null && !message.equals("-") && message.isBlank()) {
            return null;
        }
        for (String recipient : to == null ? List.<String>of() : to) {
            if (!recipient.isBlank() && SendCheck.invalidName(recipient.trim()) != null) {
                return null;
            }
        }
        Io io = new QuickIo(out, err);
        try {
            RoomClient client = new RoomClient(address, password);
            if (command.equals("send")) {
                String agent = name;
                boolean human = given.containsKey("--human");
                return SendCommand.send(() -> RoomOptions.holdName(client, cursors, agent, human ? "human" : "agent"), name, to,
                    replyTo, message, given.containsKey("--ack"), human, json, io);
            }
            if (command.equals("wait")) {
                WaitCommand.giveUpAfter(client, timeout);
            }
            if (name != null) {
                RoomOptions.holdName(client, cursors, name, "agent");
            }
            return switch (command) {
                case "read" -> ReadCommand.read(client, cursors, name, given.containsKey("--all"), mentions, last,
                    OutputOptions.printer(out, json, true), json ? err : out, err);
                case "wait" -> WaitCommand.await(client, cursors, name, mentions, timeout, OutputOptions.printer(out, json, true), err);
                default -> WhoCommand.who(client, json, out);
            };
        } catch (UsageMistake mistake) {
            return usage(args, cursors, mistake.getMessage(), out, err);
        } catch (Exception e) {
            return ErrorHandler.report(e, err);
        }
    }

    /** A usage mistake found while the command ran, said as picocli says it (with the usage line). */
    private static int usage(String[] args, CursorStore cursors, String message, PrintWriter out, PrintWriter err) {
        CommandLine line = AgentChat.commandLine(new CliFactory(cursors), args);
        line.setOut(out);
        line.setErr(err);
        CommandLine sub = line.getSubcommands().get(args[0]);
        return new ErrorHandler().handleParseException(new ParameterException(sub, message), args);
    }

    /**
     * The options given, by long name, after picocli's {@code @file} rule; null when the line is not
     * a plain one.
     */
    @Nullable
    private static Map<String, List<String>> parse(String[] args, Map<String, Boolean> options) {
        Map<String, List<String>> given = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = literal(args[i]);
            if (arg == null) {
                return null;
            }
            String option = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                option = arg.substring(0, equals);
                value = arg.substring(equals + 1);
                if (!Boolean.TRUE.equals(options.get(option))) {
                    return null;
                }
            }
            Boolean takesValue = options.get(option);
            if (takesValue == null) {
                return null; // positional, unknown, help, clustered, attached, "--"
            }
            String name = LONG.getOrDefault(option, option);
            if (given.containsKey(name) && !REPEATABLE.contains(name)) {
                return null;
            }
            if (takesValue && value == null) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = literal(args[++i]);
                if (value == null || value.startsWith("-") && !value.equals("-")) {
                    return null;
                }
            }
            given.computeIfAbsent(name, k -> new ArrayList<>()).add(takesValue ? value : "true");
        }
        return given;
    }

    /** An argument as picocli takes it: {@code @@x} is {@code @x}; null for an {@code @file} it would expand. */
    @Nullable
    private static String literal(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '@') {
            return arg;
        }
        if (arg.charAt(1) == '@') {
            return arg.substring(1);
        }
        return new File(arg.substring(1)).canRead() ? null : arg;
    }

    /** {@code --to a,b --to c}: picocli's split at commas; a quote (picocli keeps quoted commas) is not plain. */
    private static List<String> split(List<String> values) {
        List<String> names = new ArrayList<>();
        for (String value : values) {
            if (value.indexOf('"') >= 0) {
                throw new IllegalArgumentException("quoted --to");
            }
            names.addAll(List.of(value.split(",", -1)));
        }
        return names;
    }

    @Nullable
    private static String value(Map<String, List<String>> given, String name, @Nullable String fallback) {
        List<String> values = given.get(name);
        return values == null ? fallback : values.get(values.size() - 1);
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static Map<String, Boolean> options(String withValue, String flags) {
        Map<String, Boolean> options = new HashMap<>();
        for (String option : withValue.split(" ")) {
            options.put(option, true);
        }
        for (String flag : flags.split(" ")) {
            options.put(flag, false);
        }
        return options;
    }

    /** A usage mistake the command found while it ran. */
    private static final class UsageMistake extends RuntimeException {
        UsageMistake(String message) {
            super(message, null, false, false);
        }
    }

    private record QuickIo(PrintWriter out, PrintWriter err) implements Io {
        @Override
        public RuntimeException usage(String message) {
            return new UsageMistake(message);
        }
    }
}
