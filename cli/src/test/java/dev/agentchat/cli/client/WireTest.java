package dev.agentchat.cli.client;

import dev.agentchat.client.model.AgentKind;
import dev.agentchat.client.model.Message;
import dev.agentchat.cli.json.Json;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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

    /** The quick reader is a second reader of the API's Message: a field the API document adds must be read here too. */
    @Test
    void everyFieldOfTheApiDocumentsMessageIsRead() throws IllegalAccessException {
        String every = "{\"id\":3,\"agent\":\"a\",\"kind\":\"human\",\"verified\":true,\"text\":\"hi\","
            + "\"timestamp\":\"2026-11-24T12:21:05Z\",\"mentions\":[\"b\"],\"to\":[\"c\"],\"reply_to\":2,"
            + "\"ack_only\":true,\"ack_requested\":true,\"acks\":[\"b\"]}";
        Set<String> properties = new TreeSet<>();
        for (Field field : Message.class.getFields()) {
            if (field.getName().startsWith("JSON_PROPERTY_")) {
                properties.add((String) field.get(null));
            }
        }
        assertEquals(properties, new TreeSet<>(Wire.object(Json.parse(every)).keySet()),
            "this test's message names every field of the API document's Message");

        Message message = Wire.message(Json.parse(every));

        Message expected = new Message().id(3L).agent("a").kind(AgentKind.HUMAN).verified(true).text("hi")
            .timestamp(OffsetDateTime.parse("2026-11-24T12:21:05Z")).mentions(List.of("b")).to(List.of("c")).replyTo(2L)
            .ackOnly(true).ackRequested(true).acks(List.of("b"));
        assertEquals(expected, message);
    }
}
