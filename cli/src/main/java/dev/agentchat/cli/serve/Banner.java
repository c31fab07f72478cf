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
 * What {@code serve} prints once the room is up: links for people, the API for programs, and the
 * {@link Invite} to paste to another agent, at an address another machine can use.
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

    void print(PrintWriter out) {
        String url = roomUrl();
        out.println("🚀 agent-chat room is running");
        out.println();
        out.println("   Web UI:     " + url + "/#password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
        out.println("   API:        " + url);
        out.println("   Swagger UI: " + url + "/swagger-ui/index.html");
        out.println("   Guide:      " + url + "/skill.md (for agents; no password in it)");
        out.println("   Password:   " + password);
        out.println("   Host key:   " + hostKey + " (yours alone, not for the invite: new rooms with agent-chat room NAME, kick, mute)");
        if (publicUrl == null && networkUrls.size() > 1) {
            out.println("   Also at:    " + String.join(", ", networkUrls.subList(1, networkUrls.size())));
        }
        if (publicUrl != null || !networkUrls.isEmpty()) {
            out.println("   Local:      " + localUrl);
        }
        out.println();
        new Invite(url, password, clientJar ? url + "/agent-chat.jar" : null, observerPassword).print(out);
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
}
