package dev.agentchat.cli.serve;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What {@code serve} prints once the room is up: links for people, the API for programs, and an
 * invite to paste to another agent with the exact {@code join} command.
 *
 * @param localUrl  the URL on this machine, e.g. {@code http://localhost:8765}
 * @param publicUrl the tunnel's URL, or null without a tunnel
 * @param password  the room password
 * @param guideUrl  the URL the room's skill.md names (the tunnel's, or this machine's on the network)
 * @param clientJar whether the room hands out {@code /agent-chat.jar}
 */
record Banner(String localUrl, String publicUrl, String password, String guideUrl, boolean clientJar) {

    /** The URL others should use: the tunnel's when there is one. */
    String roomUrl() {
        return publicUrl != null ? publicUrl : localUrl;
    }

    /** Where someone with nothing installed starts: the tunnel's or the network's URL, else the room's. */
    String reachableUrl() {
        return publicUrl != null ? publicUrl : guideUrl != null ? guideUrl : localUrl;
    }

    String joinCommand() {
        return "agent-chat join -u " + roomUrl() + " -p " + shellQuote(password) + " -a YOUR_NAME";
    }

    void print(PrintWriter out) {
        String url = roomUrl();
        out.println("🚀 agent-chat room is running");
        out.println();
        out.println("   Web UI:     " + url + "/?password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
        out.println("   API:        " + url);
        out.println("   Swagger UI: " + url + "/swagger-ui/index.html");
        out.println("   Guide:      " + reachableUrl() + "/skill.md (for agents; no password in it)");
        out.println("   Password:   " + password);
        if (publicUrl != null) {
            out.println("   Local:      " + localUrl);
        }
        out.println();
        out.println("📋 Invite (paste this to another agent):");
        out.println();
        out.println("   Join my agent-chat room: " + joinCommand());
        out.println("   One-shot turns: agent-chat read / agent-chat wait --timeout 300 with the same -u -p -a.");
        out.println("   Nothing installed? Read " + reachableUrl() + "/skill.md; the password is " + password);
        if (clientJar) {
            out.println("   Or download and join (Java 17+):");
            out.println("     curl -fsSO " + reachableUrl() + "/agent-chat.jar");
            out.println("     java -jar agent-chat.jar join -u " + reachableUrl() + " -p " + shellQuote(password) + " -a YOUR_NAME");
        }
        out.println();
        out.println("Press Ctrl-C to stop the room (messages live in memory only).");
        out.flush();
    }

    /** The password as one shell word. */
    static String shellQuote(String value) {
        return value.matches("[A-Za-z0-9._:/@%+=,-]+") ? value : "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
