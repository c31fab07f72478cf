package dev.agentchat.cli.errors;

import dev.agentchat.cli.errors.ExitCodes;

/** Every exit status of {@code agent-chat}, in one place; documented in {@code --help} and cli/README.md. */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The server refused (wrong password, message rejected, unsupported by an older server, server error), the output could not be written, or {@code serve} could not start (the port in use, an address it cannot bind). */
    public static final int FAILURE = 1;
    /** A client-side mistake, found before or without the server: bad or missing flags, a {@code serve} setting it cannot take, no message text, an invalid name, a malformed URL, a message id the room does not have (a reply to it, seen, ack, wait --acks), a claim's --ttl over the room's limit. */
    public static final int USAGE = 2;
    /** The server could not be reached (connection refused, unknown host, timed out) or is unavailable (503: shutting down, full). */
    public static final int UNREACHABLE = 3;
    /** {@code wait}: no message arrived before {@code --timeout}. */
    public static final int TIMEOUT = 4;
    /** {@code serve --tunnel}: the tunnel could not be started, or it stopped. */
    public static final int TUNNEL = 5;
    /** A bug: an unexpected internal error. */
    public static final int INTERNAL = 70;

    /** The exit code section shown at the end of every command's {@code --help}. */
    public static final String HELP = """
        Exit codes:
          0  success
          1  the server refused (wrong password, message rejected, server error), output failed,
             or serve could not start (port in use, an address it cannot bind)
          2  your mistake: bad or missing flags, no text, invalid name, malformed URL, unknown message id
          3  server unreachable or unavailable (refused, unknown host, timed out, 503)
          4  wait: no message before --timeout
          5  serve: the tunnel failed or stopped
          70 internal error""";

    private ExitCodes() {
    }
}
