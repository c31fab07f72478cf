package dev.agentchat.room;

import reactor.util.concurrent.Queues;

import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * A subscriber's buffer, bounded in items and in bytes, that grows in small chunks instead of
 * reserving its whole capacity up front: an idle stream then holds a few dozen bytes rather than a
 * 1,024-slot array (about 4 KiB, measured as the largest single cost of an idle SSE connection). One
 * producer (the room's single delivering thread at a time) and one consumer (the stream), as the
 * unicast sink requires.
 */
final class SubscriberBuffer<T> extends AbstractQueue<T> {
    private static final int CHUNK = 16;

    private final Queue<T> queue = Queues.<T>unbounded(CHUNK).get();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final int capacity;
    private final long byteCapacity;
    private final ToLongFunction<T> weight;

    /**
     * @param capacity     items it holds at most
     * @param byteCapacity bytes of items it holds at most (by {@code weight}); one item it always takes
     */
    SubscriberBuffer(int capacity, long byteCapacity, ToLongFunction<T> weight) {
        this.capacity = capacity;
        this.byteCapacity = byteCapacity;
        this.weight = weight;
    }

    @Override
    public boolean offer(T item) {
        long w = weight.applyAsLong(item);
        int held = size.get();
        if (held >= capacity || held > 0 && bytes.get() + w > byteCapacity) {
            return false;
        }
        queue.offer(item);
        bytes.addAndGet(w);
        size.incrementAndGet();
        return true;
    }

    @Override
    public T poll() {
        T item = queue.poll();
        if (item != null) {
            bytes.addAndGet(-weight.applyAsLong(item));
            size.decrementAndGet();
        }
        return item;
    }

    @Override
    public T peek() {
        return queue.peek();
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public Iterator<T> iterator() {
        throw new UnsupportedOperationException("a subscriber buffer is only polled");
    }
}
