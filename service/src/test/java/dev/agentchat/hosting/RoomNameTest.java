package dev.agentchat.hosting;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room-name rule is one fact: the server's, the API document's and the web UI's say the same. */
class RoomNameTest {

    @Test
    void theApiDocumentAndTheWebUiWriteTheServersRule() throws IOException {
        assertEquals(RoomName.PATTERN, documented());
        Matcher webUi = Pattern.compile("const ROOM_NAME = /(.+)/;").matcher(resource("/webui/host.js"));
        assertTrue(webUi.find(), "host.js keeps the rule as ROOM_NAME");
        assertEquals(RoomName.PATTERN, webUi.group(1));
    }

    @Test
    void namesAreOneToSixtyFourLettersDigitsDashesOrUnderscores() {
        assertTrue(RoomName.isValid("design-review_2"));
        assertTrue(RoomName.isValid("x".repeat(64)));
        for (String name : new String[] {"", "x".repeat(65), "a b", "a/b", "été", RoomName.SERVER, "a\n"}) {
            assertFalse(RoomName.isValid(name), name);
        }
    }

    @SuppressWarnings("unchecked")
    private static String documented() throws IOException {
        try (InputStream in = RoomNameTest.class.getResourceAsStream("/openapi/agent-chat.yaml")) {
            Map<String, Object> node = new Yaml().load(in);
            for (String key : new String[] {"components", "parameters", "RoomName", "schema"}) {
                node = (Map<String, Object>) node.get(key);
            }
            return (String) node.get("pattern");
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RoomNameTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
