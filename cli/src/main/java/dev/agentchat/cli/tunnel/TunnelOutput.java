package dev.agentchat.cli.tunnel;

import java.util.regex.Pattern;

/**
 * What a tunnel program said that explains a failure: the first error it reported (ngrok's JSON
 * {@code err}, an {@code ERROR:} line, cloudflared's {@code ERR} line), else its last line. A program
 * that fails often says why first and then how to get help or an error code, so the last line alone
 * ("ERROR:  ERR_NGROK_4018") did not say why.
 */
final class TunnelOutput {
    private static final Pattern CLOUDFLARED_ERROR = Pattern.compile(".*\\sERR\\s.*");
    private static final String NGROK_ERROR = "ERROR:";

    private String lastLine;
    private String reason;

    synchronized void line(String line) {
        if (!line.isBlank()) {
            lastLine = line.strip();
        }
        if (reason == null && CLOUDFLARED_ERROR.matcher(line).matches()) {
            reason = line.strip();
        } else if (line.startsWith(NGROK_ERROR)) {
            error(line.substring(NGROK_ERROR.length()));
        }
    }

    /** An error the program reported in its own words; the first one is kept. */
    synchronized void error(String text) {
        if (reason == null && !text.isBlank()) {
            reason = text.strip();
        }
    }

    /** ": why", to end a sentence saying that the tunnel failed; empty when the program said nothing. */
    synchronized String why() {
        String said = reason != null ? reason : lastLine;
        return said == null ? "" : ": " + said;
    }
}
