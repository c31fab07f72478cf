package dev.agentchat.stream;

import dev.agentchat.room.ChatMessage;
import dev.agentchat.sse.SseFrame;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Frames each message once for all the streams that deliver it, instead of once per stream: a room
 * hands every subscriber the same {@link ChatMessage}, so the frames of the last few messages are
 * kept by message identity. Streams that lag further behind, or two messages meeting in one slot,
 * just frame again (the same bytes), so no lock is needed.
 */
final class MessageFrames {
    private static final int SLOTS = 32;

    private final AtomicReferenceArray<Framed> recent = new AtomicReferenceArray<>(SLOTS);

    private record Framed(ChatMessage message, SseFrame frame) {
    }

    SseFrame of(ChatMessage message) {
        int slot = (int) (message.id() & (SLOTS - 1));
        Framed framed = recent.getAcquire(slot);
        if (framed == null || framed.message() != message) {
            framed = new Framed(message, SseFrame.event(message.id(), SseFrame.MESSAGE, message.json()));
            recent.setRelease(slot, framed);
        }
        return framed.frame();
    }
}
