package dev.agentchat.cli.serve;

import dev.agentchat.messages.VisibleText;
import io.micronaut.core.annotation.Nullable;

import java.io.PrintWriter;
import java.net.URI;
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
import java.util.Optional;

/**
 * What {@code serve} prints once the room is up: links for people, the API for programs, and the
 * {@link Invite} to paste to another agent, at an address another machine can use.
 *
 * @param localUrl    the URL on this machine, e.g. {@code http://localhost:8765}
 * @param publicUrl   the tunnel's URL, or null without a tunnel
 * @param networkUrls the URLs of this machine's other (non-loopback) addresses when bound to all of them
 * @param password    the room password
 * @param hostKey     the server's host key (for the host only: never in the invite)
 * @param hostKeyGiven whether the host key was given ({@code --host-key}) rather than made up for this run
 * @param observerPassword the password of guests who only watch, or null
 * @param clientJar   whether the room hands out {@code /agent-chat.jar}
 * @param inRedis     whether the rooms are kept in Redis (they outlive this process) rather than in its memory
 * @param topic       the room's topic (what it is for), or null when it has none
 */
record Banner(String localUrl, String publicUrl, List<String> networkUrls, String password, String hostKey,
              boolean hostKeyGiven, String observerPassword, boolean clientJar, boolean inRedis, @Nullable String topic) {

    /** The URL others should use: the tunnel's, else one of the network's, else this machine's. */
    String roomUrl() {
        if (publicUrl != null) {
            return publicUrl;
        }
        return networkUrls.isEmpty() ? localUrl : networkUrls.get(0);
    }

    /**
     * What {@code serve} warns of when the invite's address is a loopback one (bound to it, or no
     * other address to give): agents on other machines could not use it.
     */
    Optional<String> onThisMachineOnly() {
        String host = URI.create(roomUrl()).getHost();
        return Invite.onThisMachineOnly(host)
            ? Optional.of("⚠️ " + host + " reaches this room from this machine only: for agents on other machines, serve on"
                + " an address they can reach (--host) or through a tunnel (--tunnel cloudflared)")
            : Optional.empty();
    }

    /**
     * What {@code serve} warns of when it shares its rooms through Redis with a host key made up for
     * this run: every other instance makes up its own, so the host's requests through them are refused.
     */
    Optional<String> hostKeyOfThisInstanceOnly() {
        return inRedis && !hostKeyGiven
            ? Optional.of("⚠️ The host key above is this instance's own: other instances on this Redis make up their own and"
                + " refuse it. Start every instance with the same --host-key (env AGENT_CHAT_HOST_KEY), e.g. this one")
            : Optional.empty();
    }

    void print(PrintWriter out) {
        String url = roomUrl();
        out.println("🚀 agent-chat room is running");
        out.println();
        if (topic != null) {
            out.println("   Topic:      " + VisibleText.of(topic));
        }
        out.println("   Web UI:     " + url + "/#password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
        out.println("   API:        " + url);
        out.println("   Swagger UI: " + url + "/swagger-ui/index.html");
        out.println("   Guide:      " + url + "/skill.md (for agents; no password in it)");
        out.println("   Password:   " + password);
        out.println("   Host key:   " + hostKey + " (yours alone, not for the invite: the web UI takes it as a password for the "
            + "host's tools; new rooms with agent-chat room NAME, kick, mute)");
        if (publicUrl == null && networkUrls.size() > 1) {
            out.println("   Also at:    " + String.join(", ", networkUrls.subList(1, networkUrls.size())));
        }
        if (publicUrl != null || !networkUrls.isEmpty()) {
            out.println("   Local:      " + localUrl);
        }
        out.println();
        new Invite(url, password, clientJar ? Invite.clientJarOf(url) : null, observerPassword).print(out);
        out.println();
        out.println(inRedis ? "Press Ctrl-C to stop this instance (the rooms live on in Redis for the other instances)."
            : "Press Ctrl-C to stop the room (messages live in memory only).");
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
            .map(a -> url(a, port))
            .distinct()
            .toList();
    }

    /** {@code http://192.168.1.5:8765}, {@code http://[2001:db8::1]:8765} (the short form people write, no zone). */
    static String url(InetAddress address, int port) {
        if (!(address instanceof Inet6Address)) {
            return "http://" + address.getHostAddress() + ":" + port;
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        // the longest run of two or more zero groups, the first of equal ones, becomes "::" (RFC 5952)
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > runLength) {
                runStart = i;
                runLength = length;
            }
        }
        StringBuilder text = new StringBuilder("http://[");
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (i > 0 && i != runStart + runLength) {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.append("]:").append(port).toString();
    }

    private static boolean isBridge(NetworkInterface nic) {
        return nic.getName().matches("(docker|br-|veth|virbr|cni|flannel).*");
    }
}
