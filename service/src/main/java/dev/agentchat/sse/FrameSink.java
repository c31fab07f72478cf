package dev.agentchat.sse;

import io.netty.util.concurrent.EventExecutor;

/**
 * Where an event stream's frames are written: its connection, straight to the socket. An event
 * stream's publisher emits no items; it finds its sink in the subscriber's context
 * ({@link #CONTEXT_KEY}) and writes to it from the sink's event loop.
 */
public interface FrameSink {
    /** The key under which {@link SseStreamWriter} puts the connection's sink in the stream's context. */
    Class<FrameSink> CONTEXT_KEY = FrameSink.class;

    /** The event loop that owns the connection: every other method is called on it. */
    EventExecutor loop();

    /** False while the connection has more waiting to go out than it lets pile up, or is closed. */
    boolean writable();

    void write(SseFrame frame);

    /** Sends what was written. */
    void flush();

    /** Runs {@code then} once what is waiting has gone out; never if the connection closes first. */
    void whenWritable(Runnable then);
}
