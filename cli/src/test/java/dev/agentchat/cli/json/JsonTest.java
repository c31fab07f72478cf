package dev.agentchat.cli.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    private final ObjectMapper jackson = new ObjectMapper();

    /** Every character of the Basic Multilingual Plane and a surrogate pair, in one string. */
    private static String everyCharacter() {
        StringBuilder text = new StringBuilder();
        for (char c = 0; c < 0xD800; c++) {
            text.append(c);
        }
        return text.append("\uD83D\uDE80 end").toString();
    }

    @Test
    void writesObjectsExactlyAsJacksonDoes() {
        String text = everyCharacter();
        ObjectNode expected = jackson.createObjectNode();
        expected.put("id", 12L);
        expected.put("text", text);
        expected.put("quote\"name", "a\\b/c");
        expected.putNull("none");
        List.of("x", "\u0001\u001f\u007f").forEach(expected.putArray("to")::add);
        expected.put("own", true);
        expected.put("negative", -5L);

        String written = Json.object().put("id", 12L).put("text", text).put("quote\"name", "a\\b/c")
            .put("none", (String) null).put("to", List.of("x", "\u0001\u001f\u007f")).put("own", true).put("negative", -5L)
            .toString();

        assertEquals(expected.toString(), written);
    }

    @Test
    void readsWhatJacksonWrites() throws Exception {
        String text = everyCharacter();
        String json = jackson.writeValueAsString(Map.of("text", text, "n", List.of(1, -2, 3.5, 1e3), "b", true, "z", Map.of()));

        Object parsed = Json.parse(json);

        assertEquals(jackson.readValue(json, Map.class).get("text"), ((Map<?, ?>) parsed).get("text"));
        assertEquals(List.of(1L, -2L, 3.5, 1000.0), ((Map<?, ?>) parsed).get("n"));
        assertEquals(true, ((Map<?, ?>) parsed).get("b"));
        assertEquals(Map.of(), ((Map<?, ?>) parsed).get("z"));
    }

    @Test
    void readsEscapesWhitespaceAndNulls() {
        Object parsed = Json.parse(" { \"a\" : [ null , \"\\u00e9\\n\\/\\\"\" ] ,\n\"b\":{\"c\":false} } ");

        assertEquals(java.util.Arrays.asList(null, "é\n/\""), ((Map<?, ?>) parsed).get("a"));
        assertEquals(Map.of("c", false), ((Map<?, ?>) parsed).get("b"));
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "\"open", "{'a':1}", "nul", "<html>", "\"\\x\"", "\"a\u0001\"")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }
}
