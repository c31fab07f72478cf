package dev.agentchat.limits;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;

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

    private final boolean trustProxy;

    public ClientAddresses(@Value("${agent-chat.trust-proxy:" + DEFAULT_TRUST_PROXY + "}") boolean trustProxy) {
        this.trustProxy = trustProxy;
    }

    public String of(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        if (trustProxy && isLoopback(peer)) {
            String forwarded = lastForwarded(request.getHeaders().getAll(FORWARDED_FOR));
            if (forwarded != null) {
                return forwarded;
            }
        }
        return peer;
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
