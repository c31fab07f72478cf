package dev.agentchat.cli.serve;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each serve flag becomes the service setting it stands for. */
class ServeOptionsTest {
    @Test
    void anIpv6HostIsWrittenInBracketsInTheRoomsUrls() {
        assertEquals("[::1]", ServeCommand.hostInUrl("::1"));
        assertEquals("[fe80::1]", ServeCommand.hostInUrl("[fe80::1]"));
        assertEquals("127.0.0.1", ServeCommand.hostInUrl("127.0.0.1"));
        assertEquals("example.test", ServeCommand.hostInUrl("example.test"));
    }

    @Test
    void scaleOutAndRoomFlagsMapToServiceSettings() {
        Map<String, Object> p = parse("-p", "pw", "--redis", "redis://127.0.0.1:6390", "--room-ttl", "2h", "--no-rooms",
            "--max-message-bytes", "1000", "--max-history", "50");
        assertEquals("redis://127.0.0.1:6390", p.get("agent-chat.redis-url"));
        assertEquals("7200000ms", p.get("agent-chat.rooms.ttl"));
        assertEquals(false, p.get("agent-chat.rooms.enabled"));
        assertEquals(1000, p.get("agent-chat.max-message-bytes"));
        assertEquals(50, p.get("agent-chat.max-history"));
        assertEquals("pw", p.get("agent-chat.password"));
    }

    @Test
    void proxyAddressesAreTrustedOnlyBehindATunnelUnlessSaidOtherwise() {
        assertFalse(parse("-p", "pw").containsKey("agent-chat.trust-proxy"));
        assertEquals(true, parse("-p", "pw", "--tunnel", "ngrok").get("agent-chat.trust-proxy"));
        assertEquals(false, parse("-p", "pw", "--tunnel", "ngrok", "--no-trust-proxy").get("agent-chat.trust-proxy"));
        assertEquals(true, parse("-p", "pw", "--trust-proxy").get("agent-chat.trust-proxy"));
    }

    @Test
    void theHostKeyIsTheGivenOneOrARandomOneDistinctFromThePassword() {
        assertEquals("hk-1", parse("-p", "pw", "--host-key", "hk-1").get("agent-chat.host-key"));
        Object made = parse("-p", "pw").get("agent-chat.host-key");
        assertTrue(made instanceof String key && key.length() >= 32 && !key.equals("pw"), String.valueOf(made));
        assertNotEquals(made, parse("-p", "pw").get("agent-chat.host-key"));
        assertFalse(parse("-p", "pw").containsKey("agent-chat.rooms.open"));
        assertEquals(true, parse("-p", "pw", "--open-rooms").get("agent-chat.rooms.open"));
        assertEquals("watch", parse("-p", "pw", "--observer-password", "watch").get("agent-chat.observer-password"));
    }

    @Test
    void anyOtherSettingPassesThrough() {
        assertEquals("5s", parse("-p", "pw", "-D", "agent-chat.keepalive=5s").get("agent-chat.keepalive"));
    }

    private static Map<String, Object> parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.properties();
    }
}
