package dev.agentchat.cli.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every exit status of {@code agent-chat}, in one place, with what each means ({@link #meanings()}):
 * the words every command's {@code --help} ends with, and cli/README.md's table of exit codes.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The server refused, the output could not be written, or {@code serve} could not start. */
    public static final int FAILURE = 1;
    /** A client-side mistake, found before or without the server. */
    public static final int USAGE = 2;
    /** The server could not be reached or is unavailable. */
    public static final int UNREACHABLE = 3;
    /** {@code wait}: no message arrived before {@code --timeout}. */
    public static final int TIMEOUT = 4;
    /** {@code serve --tunnel}: the tunnel could not be started, or it stopped. */
    public static final int TUNNEL = 5;
    /** A bug: an unexpected internal error. */
    public static final int INTERNAL = 70;

    /**
     * What each code means. cli/README.md's table of exit codes says the same words, with examples in
     * parentheses (the messages, the commands): without them, each of its rows is one of these.
     */
    private static final Map<Integer, String> MEANINGS = meanings(
        OK, "success",
        FAILURE, "the server refused: wrong password, no such room, message rejected, the name held by someone else,"
            + " kicked or muted by the host, wrong host key, server error; or the output could not be written;"
            + " or serve could not start: the port in use, a --host it cannot bind or another start-up failure",
        USAGE, "a client-side mistake, found before or without the server: bad or missing flags, a serve setting"
            + " it cannot take or run with, no message text, an invalid name, malformed URL, a message id the room"
            + " does not have, a malformed claim glob, a claim --ttl longer than the room allows",
        UNREACHABLE, "the server cannot be reached: connection refused, unknown host, timed out; or is unavailable:"
            + " shutting down, full, its Redis unreachable; try again later",
        TIMEOUT, "wait: no message before --timeout",
        TUNNEL, "serve --tunnel: the tunnel could not start or reported no URL in time",
        INTERNAL, "internal error");

    /** The width the exit code section is wrapped to. */
    private static final int WIDTH = 100;

    /** The exit code section shown at the end of every command's {@code --help}. */
    public static final String HELP = help();

    private ExitCodes() {
    }

    /** Each code and what it means, in order. */
    public static Map<Integer, String> meanings() {
        return MEANINGS;
    }

    private static Map<Integer, String> meanings(Object... codeThenMeaning) {
        Map<Integer, String> meanings = new LinkedHashMap<>();
        for (int i = 0; i < codeThenMeaning.length; i += 2) {
            meanings.put((Integer) codeThenMeaning[i], (String) codeThenMeaning[i + 1]);
        }
        return Collections.unmodifiableMap(meanings);
    }

    /** "Exit codes:", then each code and its meaning, wrapped under the meaning's first word. */
    private static String help() {
        StringBuilder help = new StringBuilder("Exit codes:");
        MEANINGS.forEach((code, meaning) -> {
            String first = String.format("  %-3s", code);
            StringBuilder line = new StringBuilder(first);
            for (String word : meaning.split(" ")) {
                if (line.length() > first.length() && line.length() + 1 + word.length() > WIDTH) {
                    help.append('\n').append(line);
                    line = new StringBuilder(" ".repeat(first.length()));
                } else if (line.length() > first.length()) {
                    line.append(' ');
                }
                line.append(word);
            }
            help.append('\n').append(line);
        });
        return help.toString();
    }
}
