package dev.agentchat.limits;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Singleton;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Who a request comes from, as limits count it. Behind a tunnel every request arrives from the tunnel
 * process, so {@code X-Forwarded-For} is believed, but only when {@code agent-chat.trust-proxy} says
 * the server sits behind a proxy, and only from a peer on this machine (the tunnel or proxy process):
 * otherwise any client could pick its own address to dodge a limit, also one that reaches the
 * server's port directly past the tunnel.
 */
@Singleton
public class ClientAddresses {
    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** The default of {@code agent-chat.trust-proxy}. */
    public static final String DEFAULT_TRUST_PROXY = "false";

    /** What an IPv6 address literal is made of (an IPv4 one may end it). */
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[?[0-9A-Fa-f:.]+]?");

    private final boolean trustProxy;

    public ClientAddresses(@Value("${agent-chat.trust-proxy:" + DEFAULT_TRUST_PROXY + "}") boolean trustProxy) {
        this.trustProxy = trustProxy;
    }

    public String of(HttpRequest<?> request) {
        String peer = peer(request.getRemoteAddress());
        if (proxy(peer)) {
            String forwarded = lastForwarded(request.getHeaders().getAll(FORWARDED_FOR));
            if (forwarded != null) {
                return grouped(forwarded);
            }
        }
        return peer;
    }

    /** The address of a connection's peer, as limits count it ({@link #grouped}). */
    public static String peer(InetSocketAddress remote) {
        return remote.getAddress() != null ? grouped(remote.getAddress()) : remote.getHostString();
    }

    /**
     * An IPv6 address counts as its /64 network, the block a single subscriber is given (with its 2^64
     * addresses, a limit per address would limit nothing); IPv4 and loopback addresses count alone.
     */
    static String grouped(InetAddress address) {
        if (!(address instanceof Inet6Address) || address.isLoopbackAddress()) {
            return address.getHostAddress();
        }
        byte[] network = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are an address
        }
    }

    /** {@link #grouped(InetAddress)} for an address a proxy wrote; anything but an address literal as it is. */
    private static String grouped(String address) {
        if (address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
            return address;
        }
        try {
            return grouped(InetAddress.getByName(address)); // a literal: nothing is looked up
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** Whether a connection from {@code peer} is a proxy's, on this machine, that the server is told it sits behind. */
    public boolean proxy(String peer) {
        return trustProxy && isLoopback(peer);
    }

    /** Whether the address is this machine's own. */
    public static boolean isLoopback(String address) {
        return address.equals("127.0.0.1") || address.startsWith("127.") || address.equals("0:0:0:0:0:0:0:1")
            || address.equals("::1");
    }

    /** The address of the request being served on this thread ("unknown" outside a request). */
    public String current() {
        return ServerRequestContext.currentRequest().map(this::of).orElse("unknown");
    }

    /** The proxy appends the address it saw last; earlier entries are whatever the client claimed. */
    private static String lastForwarded(Iterable<String> headers) {
        String last = null;
        for (String header : headers) {
            for (String entry : header.split(",")) {
                String trimmed = entry.trim();
                if (!trimmed.isEmpty()) {
                    last = trimmed;
                }
            }
        }
        return last;
    }
}
