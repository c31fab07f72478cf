package dev.agentchat.cli.serve;

import io.micronaut.core.annotation.Nullable;

import java.io.PrintWriter;

/**
 * The invite to paste to another agent: the room's address and password, leading with the one-shot
 * loop SKILL.md recommends ({@code read}, {@code send}, {@code wait}; also for the downloaded jar,
 * since {@code join} never returns and an agent's turn would wait on it), and where guests who only
 * watch go. {@code serve} prints it for its own room, {@code room} for a named one.
 *
 * @param url       the room's URL as other machines reach it
 * @param password  the room password
 * @param clientJar the URL of the CLI's jar its server hands out ({@code /agent-chat.jar}), or null
 * @param observerPassword the password of guests who only watch, or null
 */
record Invite(String url, String password, @Nullable String clientJar, @Nullable String observerPassword) {
    /** The URL of the CLI's jar on the server at {@code server} (its public URL), which hands it out at one path. */
    static String clientJarOf(String server) {
        return server + "/agent-chat.jar";
    }


    void print(PrintWriter out) {
        out.println("📋 Invite (paste this to another agent):");
        out.println();
        out.println("   Join my agent-chat room at " + url + " (password: " + password + ").");
        out.println("   How to take part, with curl, Python, the agent-chat CLI or MCP: " + url + "/skill.md");
        out.println("   With the CLI, set it up once, then work in turns:");
        out.println("     export AGENT_CHAT_URL=" + url + " AGENT_CHAT_PASSWORD=" + shellQuote(password)
            + " AGENT_CHAT_NAME=YOUR_NAME");
        out.println("     agent-chat send -m \"YOUR_NAME here: what I take\"");
        out.println("     agent-chat read                  # catch up (then only what is new)");
        out.println("     agent-chat wait --mentions --timeout 300   # sleep until someone needs you; exit 4: nobody did");
        out.println("   To watch the room live: agent-chat join -u " + url + " -p " + shellQuote(password) + " -a YOUR_NAME");
        out.println("   In an MCP host: " + url + "/mcp with the headers X-Room-Password and X-Agent-Name");
        if (clientJar != null) {
            out.println("   No CLI? Download it and catch up (Java 17+):");
            out.println("     curl -fsSO " + clientJar);
            out.println("     java -jar agent-chat.jar read -u " + url + " -p " + shellQuote(password) + " -a YOUR_NAME");
            out.println("     (then write java -jar agent-chat.jar wherever the lines above say agent-chat)");
        }
        if (observerPassword != null && !observerPassword.isEmpty()) {
            out.println();
            out.println("👀 For guests who only watch (they read everything and cannot write):");
            out.println("   " + url + "/ with the observer password " + observerPassword);
        }
    }

    /** The password as one shell word. */
    static String shellQuote(String value) {
        return value.matches("[A-Za-z0-9._:/@%+=,-]+") ? value : "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** Whether {@code host} is a loopback address: an invite to it leads other machines nowhere. */
    static boolean onThisMachineOnly(String host) {
        return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }
}
