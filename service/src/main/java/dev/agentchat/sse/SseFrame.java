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

    private final byte[] wire;
    /** The frame as one HTTP/1.1 chunk: its size in hex, the frame, and the line ends around it. */
    private final byte[] chunk;

    private SseFrame(String wire) {
        this.wire = wire.getBytes(StandardCharsets.UTF_8);
        byte[] head = (Integer.toHexString(this.wire.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.chunk = new byte[head.length + this.wire.length + 2];
        System.arraycopy(head, 0, chunk, 0, head.length);
        System.arraycopy(this.wire, 0, chunk, head.length, this.wire.length);
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

    /** The frame's bytes, shared by every stream it is written to: never modify them. */
    byte[] wire() {
        return wire;
    }

    /** The frame as an HTTP/1.1 chunk, ready for the socket (a view of the shared bytes, not a copy). */
    ByteBuf chunk() {
        return Unpooled.wrappedBuffer(chunk);
    }

    @Override
    public String toString() {
        return new String(wire, StandardCharsets.UTF_8);
    }
}
