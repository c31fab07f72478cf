package dev.agentchat.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * One piece of a Server-Sent Events stream, already in its wire form (UTF-8). Ids and event names
 * come from the server and the data is one line of JSON, so nothing a client sends can inject SSE
 * fields. A frame is immutable and may be written to any number of streams: a message is framed once
 * for all of them ({@code stream/MessageFrames}).
 */
public final class SseFrame {
    public static final String MESSAGE = "message";
    public static final String TRUNCATED = "truncated";
    public static final String PRESENCE = "presence";
    public static final String KEEPALIVE = "keepalive";
    public static final String TOPIC = "topic";

    /** The frame as one HTTP/1.1 chunk: its size in hex and a line end, the frame, a line end. */
    private final byte[] chunk;
    /** Where the frame itself starts in {@link #chunk}. */
    private final int frameStart;

    private SseFrame(String frame) {
        byte[] wire = frame.getBytes(StandardCharsets.UTF_8);
        byte[] head = (Integer.toHexString(wire.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.frameStart = head.length;
        this.chunk = new byte[head.length + wire.length + 2];
        System.arraycopy(head, 0, chunk, 0, head.length);
        System.arraycopy(wire, 0, chunk, head.length, wire.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
    }

    public static SseFrame comment(String text) {
        return new SseFrame(": " + text + "\n\n");
    }

    public static SseFrame event(long id, String name, String json) {
        return new SseFrame("id: " + id + "\nevent: " + name + "\ndata: " + json + "\n\n");
    }

    /** An event without an id, so it does not move the client's Last-Event-ID. */
    public static SseFrame event(String name, String json) {
        return new SseFrame("event: " + name + "\ndata: " + json + "\n\n");
    }

    /** The frame as an HTTP/1.1 chunk, ready for the socket (a view of the shared bytes, not a copy). */
    ByteBuf chunk() {
        return Unpooled.wrappedBuffer(chunk);
    }

    /** The frame alone, without the chunk's framing (a view of the shared bytes, not a copy). */
    ByteBuf bytes() {
        return Unpooled.wrappedBuffer(chunk, frameStart, chunk.length - 2 - frameStart);
    }

    @Override
    public String toString() {
        return new String(chunk, frameStart, chunk.length - 2 - frameStart, StandardCharsets.UTF_8);
    }
}
