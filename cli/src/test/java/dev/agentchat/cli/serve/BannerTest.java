package dev.agentchat.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
}
