package dev.agentchat.messages;

import dev.agentchat.TestServer;
import dev.agentchat.api.model.Message;
import dev.agentchat.api.model.PollResult;
import io.micronaut.core.type.Argument;
import io.micronaut.http.MediaType;
import io.micronaut.http.body.MessageBodyHandlerRegistry;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollResultWriterTest {
    static TestServer server;
    static PollResultWriter writer;
    static JsonMapper json;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        writer = server.context().getBean(PollResultWriter.class);
        json = server.context().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pollAnswersAreWrittenByTheSharingWriter() {
        var found = server.context().getBean(MessageBodyHandlerRegistry.class)
            .findWriter(Argument.of(PollResult.class), List.of(MediaType.APPLICATION_JSON_TYPE));
        assertInstanceOf(PollResultWriter.class, found.orElseThrow());
    }

    @Test
    void equalAnswersShareOneEncodingAndAnyOtherIsEncodedAfresh() throws IOException {
        byte[] first = writer.bytes(answer(7, "hello"));
        assertSame(first, writer.bytes(answer(7, "hello")), "an equal answer gets the bytes already made");
        assertArrayEquals(json.writeValueAsBytes(answer(7, "hello")), first, "the same JSON as every other body");

        PollResult acked = answer(7, "hello");
        acked.getMessages().get(0).setAcks(List.of("bob"));
        byte[] withAcks = writer.bytes(acked);
        assertTrue(new String(withAcks).contains("\"acks\":[\"bob\"]"), new String(withAcks));
        assertNotSame(first, writer.bytes(answer(7, "hello")), "the answer kept is the last one encoded");
    }

    @Test
    void aLargeAnswerIsEncodedEachTimeRatherThanKept() {
        PollResult large = answer(9, "x".repeat(PollResultWriter.SHARED_BYTES));
        byte[] once = writer.bytes(large);
        assertArrayEquals(once, writer.bytes(answer(9, "x".repeat(PollResultWriter.SHARED_BYTES))));
        assertNotSame(once, writer.bytes(answer(9, "x".repeat(PollResultWriter.SHARED_BYTES))));
    }

    private static PollResult answer(long id, String text) {
        List<Message> messages = new ArrayList<>();
        messages.add(new Message(id, "alice", text, OffsetDateTime.of(2026, 12, 2, 12, 0, 0, 0, ZoneOffset.UTC)));
        return new PollResult(messages, id);
    }
}
