package dev.agentchat.cli.tunnel;

import java.util.Locale;
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
    static final String NGROK_AUTHTOKEN = "Give ngrok your authtoken (ngrok config add-authtoken TOKEN, from "
        + "https://dashboard.ngrok.com/get-started/your-authtoken), or use --tunnel cloudflared";

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

    /**
     * An error the program reported in its own words; the first one is kept, and of it the first line:
     * ngrok's goes on over several (where to find a token, the token it was given, an error code).
     */
    synchronized void error(String text) {
        String first = text.strip().lines().findFirst().orElse("").strip();
        if (reason == null && !first.isEmpty()) {
            reason = first;
        }
    }

    /**
     * ": why", to end a sentence saying that the tunnel failed, and a line on what to do when that is
     * known; empty when the program said nothing.
     */
    synchronized String why() {
        String said = reason != null ? reason : lastLine;
        if (said == null) {
            return "";
        }
        return ": " + said + (said.toLowerCase(Locale.ROOT).contains("authtoken") ? "\n" + NGROK_AUTHTOKEN : "");
    }
}
