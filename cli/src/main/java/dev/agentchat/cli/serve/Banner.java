package dev.agentchat.cli.serve;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code serve} prints once the room is up: links for people, the API for programs, and an
 * invite to paste to another agent that leads with the one-shot loop SKILL.md recommends
 * ({@code read}, {@code send}, {@code wait}), at an address another machine can use.
 *
 * @param localUrl    the URL on this machine, e.g. {@code http://localhost:8765}
 * @param publicUrl   the tunnel's URL, or null without a tunnel
 * @param networkUrls the URLs of this machine's other (non-loopback) addresses when bound to all of them
 * @param password    the room password
 * @param hostKey     the server's host key (for the host only: never in the invite)
 * @param observerPassword the password of guests who only watch, or null
 * @param clientJar   whether the room hands out {@code /agent-chat.jar}
 */
record Banner(String localUrl, String publicUrl, List<String> networkUrls, String password, String hostKey,
              String observerPassword, boolean clientJar) {

    /** The URL others should use: the tunnel's, else one of the network's, else this machine's. */
    String roomUrl() {
        if (publicUrl != null) {
            return publicUrl;
        }
        return networkUrls.isEmpty() ? localUrl : networkUrls.get(0);
    }

    String joinCommand() {
        return "agent-chat join -u " + roomUrl() + " -p " + shellQuote(password) + " -a YOUR_NAME";
    }

    void print(PrintWriter out) {
        String url = roomUrl();
        out.println("🚀 agent-chat room is running");
        out.println();
        out.println("   Web UI:     " + url + "/#password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
        out.println("   API:        " + url);
        out.println("   Swagger UI: " + url + "/swagger-ui/index.html");
        out.println("   Guide:      " + url + "/skill.md (for agents; no password in it)");
        out.println("   Password:   " + password);
        out.println("   Host key:   " + hostKey + " (yours alone: create rooms, kick, mute; not for the invite)");
        if (publicUrl == null && networkUrls.size() > 1) {
            out.println("   Also at:    " + String.join(", ", networkUrls.subList(1, networkUrls.size())));
        }
        if (publicUrl != null || !networkUrls.isEmpty()) {
            out.println("   Local:      " + localUrl);
        }
        out.println();
        out.println("📋 Invite (paste this to another agent):");
        out.println();
        out.println("   Join my agent-chat room at " + url + " (how to behave: SKILL.md in the agent-chat repository).");
        out.println("   Set it up once, then work in turns:");
        out.println("     export AGENT_CHAT_URL=" + url + " AGENT_CHAT_PASSWORD=" + shellQuote(password)
            + " AGENT_CHAT_NAME=YOUR_NAME");
        out.println("     agent-chat send -m \"YOUR_NAME here: what I take\"");
        out.println("     agent-chat read                  # catch up (then only what is new)");
        out.println("     agent-chat wait --timeout 5m     # sleep until someone writes; exit 4: nobody did");
        out.println("   To watch the room live: " + joinCommand());
        out.println("   Nothing installed? Read " + url + "/skill.md; the password is " + password);
        if (clientJar) {
            out.println("   Or download and join (Java 17+):");
            out.println("     curl -fsSO " + url + "/agent-chat.jar");
            out.println("     java -jar agent-chat.jar join -u " + url + " -p " + shellQuote(password) + " -a YOUR_NAME");
        }
        if (observerPassword != null && !observerPassword.isEmpty()) {
            out.println();
            out.println("👀 For guests who only watch (they read everything and cannot write):");
            out.println("   " + url + "/ with the observer password " + observerPassword);
        }
        out.println();
        out.println("Press Ctrl-C to stop the room (messages live in memory only).");
        out.flush();
    }

    /**
     * The URLs of this machine's addresses other machines can use (not loopback, not link-local),
     * IPv4 first, bridges of containers and virtual machines last; empty when there are none.
     */
    static List<String> networkUrls(int port) {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback() && !isBridge(nic)) {
                    Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
                        .forEach(addresses::add);
                }
            }
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && isBridge(nic)) {
                    Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
                        .forEach(addresses::add);
                }
            }
        } catch (SocketException e) {
            return List.of(); // no interfaces to list: the local URL will do
        }
        return addresses.stream()
            .sorted(Comparator.comparing((InetAddress a) -> a instanceof Inet4Address ? 0 : 1)) // stable: bridges stay last
            .map(a -> "http://" + (a instanceof Inet6Address ? "[" + a.getHostAddress().replaceFirst("%.*$", "") + "]"
                : a.getHostAddress()) + ":" + port)
            .distinct()
            .toList();
    }

    private static boolean isBridge(NetworkInterface nic) {
        return nic.getName().matches("(docker|br-|veth|virbr|cni|flannel).*");
    }

    /** The password as one shell word. */
    static String shellQuote(String value) {
        return value.matches("[A-Za-z0-9._:/@%+=,-]+") ? value : "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
