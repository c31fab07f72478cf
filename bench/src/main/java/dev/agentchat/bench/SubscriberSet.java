package dev.agentchat.bench;

import io.netty.channel.Channel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A crowd of SSE subscribers on {@code /messages/stream}, opened together and closed together. */
final class SubscriberSet implements SseSubscriber.Listener, AutoCloseable {
    /** Receives data lines; called on event-loop threads. */
    @FunctionalInterface
    interface DataSink {
        /** @param data the line's text, or null when the set only counts */
        void data(int subscriber, String data, long receivedNanos);
    }

    private final DataSink sink;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicLong frames = new AtomicLong();
    private volatile int refusedStatus;
    private volatile boolean closing;
    private List<Channel> channels = List.of();
    private int connectFailures;
    private String connectError;
    private double openSeconds;

    private SubscriberSet(DataSink sink) {
        this.sink = sink;
    }

    /**
     * Opens {@code count} streams and waits until each has said {@code : connected}, was refused,
     * failed, or {@code timeout} passed.
     */
    static SubscriberSet open(Http http, int count, boolean keepData, DataSink sink, Duration timeout) {
        SubscriberSet set = new SubscriberSet(sink);
        long started = System.nanoTime();
        int[] next = {0};
        Http.Opened opened = http.open(count, () -> {
            int index;
            synchronized (next) {
                index = next[0]++;
            }
            SseSubscriber subscriber = new SseSubscriber(index, http.stream("/messages/stream"), set, keepData);
            return pipeline -> pipeline.addLast(subscriber);
        }).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        set.channels = opened.channels();
        set.connectFailures = opened.failures();
        set.connectError = opened.firstError();
        long deadline = started + timeout.toNanos();
        while (set.settled() < count && System.nanoTime() < deadline) {
            ServerProcess.sleep(20);
        }
        set.openSeconds = (System.nanoTime() - started) / 1e9;
        return set;
    }

    private int settled() {
        return connected.get() + refused.get() + connectFailures + dropped.get();
    }

    int connected() {
        return connected.get();
    }

    int refused() {
        return refused.get();
    }

    int refusedStatus() {
        return refusedStatus;
    }

    int connectFailures() {
        return connectFailures;
    }

    String connectError() {
        return connectError;
    }

    /** Streams the server closed while the set was open (e.g. a subscriber cut off as too slow). */
    int dropped() {
        return dropped.get();
    }

    long frames() {
        return frames.get();
    }

    double openSeconds() {
        return openSeconds;
    }

    /** One line for the console when not every stream connected. */
    String problems() {
        StringBuilder text = new StringBuilder();
        if (refused() > 0) {
            text.append(refused()).append(" refused with HTTP ").append(refusedStatus)
                .append(refusedStatus == 429 || refusedStatus == 503
                    ? " (server limits: lift them with --prop agent-chat.limits.<name>=<value>)" : "").append("; ");
        }
        if (connectFailures > 0) {
            text.append(connectFailures).append(" could not connect (").append(connectError).append("); ");
        }
        if (dropped() > 0) {
            text.append(dropped()).append(" closed by the server; ");
        }
        return text.toString();
    }

    @Override
    public void connected(SseSubscriber subscriber) {
        connected.incrementAndGet();
    }

    @Override
    public void data(SseSubscriber subscriber, String data, long receivedNanos) {
        frames.incrementAndGet();
        sink.data(subscriber.index, data, receivedNanos);
    }

    @Override
    public void refused(SseSubscriber subscriber, int status) {
        refusedStatus = status;
        refused.incrementAndGet();
    }

    @Override
    public void closed(SseSubscriber subscriber) {
        if (!closing && subscriber.isConnected()) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closing = true;
        Http.closeAll(channels);
    }
}
