package dev.agentchat.room;

import reactor.util.concurrent.Queues;

import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber's bounded buffer that grows in small chunks instead of reserving its whole capacity
 * up front: an idle stream then holds a few dozen bytes rather than a 1,024-slot array (about 4 KiB,
 * measured as the largest single cost of an idle SSE connection). One producer (the room's single
 * delivering thread at a time) and one consumer (the stream), as the unicast sink requires.
 */
final class SubscriberBuffer<T> extends AbstractQueue<T> {
    private static final int CHUNK = 16;

    private final Queue<T> queue = Queues.<T>unbounded(CHUNK).get();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    SubscriberBuffer(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public boolean offer(T item) {
        if (size.get() >= capacity) {
            return false;
        }
        queue.offer(item);
        size.incrementAndGet();
        return true;
    }

    @Override
    public T poll() {
        T item = queue.poll();
        if (item != null) {
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
