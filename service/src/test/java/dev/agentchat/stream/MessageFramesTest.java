package dev.agentchat.stream;

import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Draft;
import dev.agentchat.room.MemoryRoom;
import dev.agentchat.sse.SseFrame;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class MessageFramesTest {
    private final MessageFrames frames = new MessageFrames();
    private final MemoryRoom room = new MemoryRoom(100, message -> "{\"text\":\"" + message.text() + "\"}", Clock.systemUTC());

    @Test
    void aMessageIsFramedOnceForEveryStreamThatDeliversIt() {
        ChatMessage message = room.post(new Draft("a", "one", List.of(), null));
        SseFrame first = frames.of(message);
        assertSame(first, frames.of(message));
        assertEquals("id: 1\nevent: message\ndata: {\"text\":\"one\"}\n\n", first.toString());
    }

    @Test
    void aCopyOfAMessageWithItsAcknowledgementsIsFramedAfreshWithItsOwnData() {
        ChatMessage message = room.post(new Draft("a", "one", List.of(), null));
        SseFrame first = frames.of(message);
        ChatMessage copy = message.withJson("{\"text\":\"one\",\"acks\":1}");
        SseFrame ofCopy = frames.of(copy);
        assertNotSame(first, ofCopy);
        assertEquals("id: 1\nevent: message\ndata: {\"text\":\"one\",\"acks\":1}\n\n", ofCopy.toString());
    }

    @Test
    void aMessageThatLostItsSlotToOneThirtyTwoLaterIsFramedAgainTheSame() {
        ChatMessage first = room.post(new Draft("a", "one", List.of(), null));
        SseFrame framed = frames.of(first);
        for (int i = 2; i <= 33; i++) {
            frames.of(room.post(new Draft("a", "m" + i, List.of(), null)));
        }
        SseFrame again = frames.of(first);
        assertNotSame(framed, again);
        assertEquals(framed.toString(), again.toString());
    }
}
