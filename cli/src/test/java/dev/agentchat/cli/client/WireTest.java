package dev.agentchat.cli.client;

import dev.agentchat.client.model.Message;
import dev.agentchat.cli.json.Json;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireTest {
    @Test
    void theQuickTimestampReaderAgreesWithTheIsoFormatter() {
        for (String text : List.of("2026-11-24T12:21:05.772257+00:00", "2026-11-24T12:21:05Z", "2026-11-24T12:21:05.1-05:30",
            "2026-11-24T12:21:05.123456789+14:00", "0001-01-01T00:00:00.000001Z", "2024-02-29T23:59:59.999999999-18:00")) {
            OffsetDateTime expected = OffsetDateTime.parse(text);
            assertEquals(expected, Wire.canonical(text), text);
            assertEquals(expected.getOffset(), Wire.canonical(text).getOffset(), text);
        }
    }

    @Test
    void otherFormsAreLeftToTheIsoFormatter() {
        for (String text : List.of("2026-11-24T12:21+00:00", "2026-11-24T12:21:05.+00:00", "2026-11-24T12:21:05.1234567890Z",
            "2026-02-30T12:21:05Z", "2026-11-24T24:00:00Z", "2026-11-24T12:21:05+00:00:00", "2026-11-24T12:21:05z",
            "2026-11-24T12:21:05+0000", "2026-11-24T12:21:05", "x026-11-24T12:21:05Z", "2026-11-24T12:21:05+19:00")) {
            assertNull(Wire.canonical(text), text);
        }
    }

    @Test
    void messagesReadAsTheGeneratedClientReadsThem() {
        Message message = Wire.message(Json.parse("{\"id\":3,\"agent\":\"a\",\"text\":\"hi\",\"timestamp\":\"2026-11-24 12:21:05.5+0000\","
            + "\"mentions\":[\"b\"],\"reply_to\":2,\"unknown\":{\"x\":[1]}}"));

        assertEquals(3L, message.getId());
        assertEquals("a", message.getAgent());
        assertEquals(OffsetDateTime.parse("2026-11-24T12:21:05.5Z"), message.getTimestamp());
        assertEquals(List.of("b"), message.getMentions());
        assertEquals(List.of(), message.getTo()); // absent: the model's default
        assertEquals(2L, message.getReplyTo());
        assertThrows(IllegalArgumentException.class, () -> Wire.message(Json.parse("{\"timestamp\":\"yesterday\"}")));
        assertThrows(IllegalArgumentException.class, () -> Wire.message(Json.parse("[1]")));
    }
}
