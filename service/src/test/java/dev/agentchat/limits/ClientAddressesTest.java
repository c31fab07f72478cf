package dev.agentchat.limits;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.simple.SimpleHttpRequest;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which address a request counts as: X-Forwarded-For only behind a trusted proxy on this machine. */
class ClientAddressesTest {
    private final ClientAddresses trusting = new ClientAddresses(true);
    private final ClientAddresses plain = new ClientAddresses(false);

    @Test
    void behindATrustedProxyOnThisMachineTheLastForwardedAddressCounts() {
        assertEquals("203.0.113.9", trusting.of(request("127.0.0.1", "10.1.1.1, 203.0.113.9")));
        assertEquals("203.0.113.9", trusting.of(request("0:0:0:0:0:0:0:1", "203.0.113.9")));
        assertEquals("127.0.0.1", trusting.of(request("127.0.0.1", null)));
    }

    @Test
    void aClientReachingThePortDirectlyCannotPickItsAddressWithTheHeader() {
        // with --tunnel the server still listens on every interface: a peer on the network is itself
        assertEquals("192.0.2.77", trusting.of(request("192.0.2.77", "203.0.113.9")));
    }

    @Test
    void withoutTrustTheHeaderIsIgnored() {
        assertEquals("127.0.0.1", plain.of(request("127.0.0.1", "203.0.113.9")));
    }

    @Test
    void anIpv6AddressCountsAsItsSlash64SoOneSubscriberIsOneAddress() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", plain.of(request("2001:db8:1:2:aaaa::1", null)));
        assertEquals("2001:db8:1:2:0:0:0:0/64", plain.of(request("2001:db8:1:2:ffff::9", null)));
        assertEquals("2001:db8:1:2:0:0:0:0/64", trusting.of(request("127.0.0.1", "2001:db8:1:2::5")));
        assertEquals("0:0:0:0:0:0:0:1", plain.of(request("::1", null)), "this machine stays itself");
        assertEquals("192.0.2.77", plain.of(request("192.0.2.77", null)));
    }

    private static HttpRequest<?> request(String peer, String forwarded) {
        SimpleHttpRequest<Object> request = new SimpleHttpRequest<>(HttpMethod.GET, "/messages", null) {
            @Override
            public InetSocketAddress getRemoteAddress() {
                return new InetSocketAddress(peer, 40000);
            }
        };
        if (forwarded != null) {
            request.header(ClientAddresses.FORWARDED_FOR, forwarded);
        }
        return request;
    }
}
