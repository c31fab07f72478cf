package dev.agentchat.auth;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A password with letters beyond ASCII opens its room when the client sends it as UTF-8, as clients do. */
class NonAsciiPasswordTest {
    private static final String PASSWORD = "pässwört-密码";

    /** What RawHttp writes for {@code text}: each char as one byte, so these chars are the UTF-8 bytes. */
    private static String asUtf8Bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPasswordSentAsUtf8BytesOpensTheRoomAndAWrongOneDoesNot() throws IOException {
        try (LiveServer server = LiveServer.start(PASSWORD, Map.of())) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(200, http.send("GET", "/messages", Map.of(RoomPassword.HEADER, asUtf8Bytes(PASSWORD)), null,
                "127.0.0.1").status());
            assertEquals(401, http.send("GET", "/messages", Map.of(RoomPassword.HEADER, asUtf8Bytes("pässwört")), null,
                "127.0.0.1").status());
        }
    }

    @Test
    void aPasswordSentEncodedAsRfc8187OpensTheRoom() throws IOException {
        try (LiveServer server = LiveServer.start(PASSWORD, Map.of())) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(200, http.send("GET", "/messages",
                Map.of(RoomPassword.HEADER, "UTF-8''p%C3%A4ssw%C3%B6rt-%E5%AF%86%E7%A0%81"), null, "127.0.0.1").status());
            assertEquals(401, http.send("GET", "/messages", Map.of(RoomPassword.HEADER, "utf-8''p%C3%A4ssw%C3%B6rt"), null,
                "127.0.0.1").status());
            assertEquals(401, http.send("GET", "/messages", Map.of(RoomPassword.HEADER, "UTF-8''p%C3"), null,
                "127.0.0.1").status(), "an encoding that is not UTF-8 is a wrong password, not an error");
        }
    }

    @Test
    void aNamedRoomsNonAsciiPasswordIsKeptAsItWasSent() throws IOException {
        try (LiveServer server = LiveServer.start(PASSWORD, Map.of())) {
            RawHttp http = new RawHttp(server.port());
            String roomPassword = asUtf8Bytes("clé-secrète");
            assertEquals(201, http.send("PUT", "/rooms/accents", RawHttp.asHost(Map.of(RoomPassword.HEADER, roomPassword)),
                null, "127.0.0.1").status());
            assertEquals(200, http.send("GET", "/rooms/accents/messages?password=cl%C3%A9-secr%C3%A8te", Map.of(), null,
                "127.0.0.1").status());
        }
    }

    @Test
    void aNamedRoomsNonAsciiObserverPasswordOpensItsReadsInEitherEncoding() throws IOException {
        try (LiveServer server = LiveServer.start(PASSWORD, Map.of())) {
            RawHttp http = new RawHttp(server.port());
            assertEquals(201, http.send("PUT", "/rooms/watched", RawHttp.asHost(Map.of(RoomPassword.HEADER, "room-pw",
                "X-Observer-Password", asUtf8Bytes("regardé"))), null, "127.0.0.1").status());
            assertEquals(201, http.send("PUT", "/rooms/watched-too", RawHttp.asHost(Map.of(RoomPassword.HEADER, "room-pw",
                "X-Observer-Password", "UTF-8''regard%C3%A9")), null, "127.0.0.1").status());
            for (String room : new String[] {"watched", "watched-too"}) {
                assertEquals(200, http.send("GET", "/rooms/" + room + "/messages",
                    Map.of(RoomPassword.HEADER, "UTF-8''regard%C3%A9"), null, "127.0.0.1").status(), room);
                assertEquals(200, http.send("GET", "/rooms/" + room + "/messages",
                    Map.of(RoomPassword.HEADER, asUtf8Bytes("regardé")), null, "127.0.0.1").status(), room);
                assertEquals(401, http.send("GET", "/rooms/" + room + "/messages",
                    Map.of(RoomPassword.HEADER, "regarde"), null, "127.0.0.1").status(), room);
            }
        }
    }
}
