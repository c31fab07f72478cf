package dev.agentchat.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BannerTest {

    @ParameterizedTest
    @CsvSource({
        "192.168.1.5,http://192.168.1.5:8765",
        "2001:db8:0:0:0:0:0:1,http://[2001:db8::1]:8765",
        "2001:0DB8:0:0:1:0:0:1,http://[2001:db8::1:0:0:1]:8765",
        "2001:db8:0:1:1:1:1:1,http://[2001:db8:0:1:1:1:1:1]:8765",
        "fd00:0:0:0:0:0:0:0,http://[fd00::]:8765",
        "0:0:0:0:0:0:0:2,http://[::2]:8765",
        "fe80:0:0:0:1:2:3:4%1,http://[fe80::1:2:3:4]:8765"})
    void anAddressIsShownInTheShortFormPeopleWrite(String address, String url) throws UnknownHostException {
        assertEquals(url, Banner.url(InetAddress.getByName(address), 8765));
    }

    @Test
    void withRedisTheBannerDoesNotSayTheMessagesLiveInMemoryOnly() {
        String inRedis = printed(true);
        assertFalse(inRedis.contains("memory only"), inRedis);
        assertTrue(inRedis.contains("the rooms live on in Redis"), inRedis);
        assertTrue(printed(false).contains("messages live in memory only"));
    }

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:8765,,,127.0.0.1",
        "http://localhost:8765,,,localhost",
        "http://[::1]:8765,,,[::1]",
        "http://localhost:8765,,http://192.168.1.5:8765,",
        "http://localhost:8765,https://x.trycloudflare.com,,"})
    void anInviteToALoopbackAddressIsWarnedOf(String local, String tunnel, String network, String warned) {
        Optional<String> warning = new Banner(local, tunnel, network == null ? List.of() : List.of(network), "pw", "hk",
            false, null, false, false, null).onThisMachineOnly();
        assertEquals(warned == null ? Optional.empty()
            : Optional.of("⚠️ " + warned + " reaches this room from this machine only: for agents on other machines,"
                + " serve on an address they can reach (--host) or through a tunnel (--tunnel cloudflared)"), warning);
    }

    @ParameterizedTest
    @CsvSource({"true,false,true", "true,true,false", "false,false,false", "false,true,false"})
    void aHostKeyMadeUpByAnInstanceSharingRedisIsWarnedOf(boolean inRedis, boolean hostKeyGiven, boolean warned) {
        Optional<String> warning = new Banner("http://localhost:8765", null, List.of(), "pw", "hk", hostKeyGiven, null, false,
            inRedis, null).hostKeyOfThisInstanceOnly();
        assertEquals(warned ? Optional.of("⚠️ The host key above is this instance's own: other instances on this Redis make up"
            + " their own and refuse it. Start every instance with the same --host-key (env AGENT_CHAT_HOST_KEY), e.g. this one")
            : Optional.empty(), warning);
    }

    @Test
    void theRoomsTopicIsOneLineOfTheBannerAndARoomWithoutOneHasNone() {
        String withTopic = printed(false, "release 2.0: parser and docs");
        assertTrue(withTopic.startsWith("🚀 agent-chat room is running\n\n   Topic:      release 2.0: parser and docs\n"
            + "   Web UI:     "), withTopic);
        assertFalse(printed(false).contains("Topic:"), printed(false));
    }

    @Test
    void aTopicsInvisibleControlsAreShownAsEveryCommandShowsThem() {
        assertTrue(printed(false, "safe\u202Eevil").contains("   Topic:      safe\uFFFDevil\n"), printed(false, "safe\u202Eevil"));
    }

    private static String printed(boolean inRedis) {
        return printed(inRedis, null);
    }

    private static String printed(boolean inRedis, String topic) {
        StringWriter text = new StringWriter();
        new Banner("http://localhost:8765", null, List.of(), "pw", "hk", false, null, false, inRedis, topic).print(new PrintWriter(text));
        return text.toString();
    }
}
