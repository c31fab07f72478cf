package dev.agentchat.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.agentchat.error.ApiError;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Watches the heap after every garbage collection: while more than {@code low-heap} of it is still
 * in use, the server refuses new work ({@code 503 low_memory}) instead of running into an
 * OutOfMemoryError, and keeps answering {@code /health} and the streams already open. Refusing work
 * also means allocating little, so no collection might come to clear the state: while low, it asks
 * for one every few seconds.
 */
@Context
public class HeapGuard {
    private static final Logger LOG = LoggerFactory.getLogger(HeapGuard.class);
    /** Seconds a refused client is told to wait. */
    static final long RETRY_AFTER_SECONDS = 5;
    private static final long NUDGE_NANOS = 2_000_000_000L;

    private final long threshold;
    private final Set<String> heapPools;
    private final NotificationListener listener = this::collected;
    private volatile boolean low;
    private final AtomicLong lastNudge = new AtomicLong(System.nanoTime());

    public HeapGuard(MemorySettings settings) {
        this.threshold = ByteSize.parse(settings.lowHeap());
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
            }
        }
    }

    /** Whether the heap was found nearly full after the last collection. */
    public boolean low() {
        return low;
    }

    /** Throws {@code low_memory} while the heap is nearly full: call before taking on new work. */
    public void refuseIfLow() {
        if (low) {
            nudge();
            throw ApiError.LOW_MEMORY.limit(threshold, RETRY_AFTER_SECONDS);
        }
    }

    private void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        boolean nowLow = used > threshold;
        if (nowLow != low) {
            low = nowLow;
            if (nowLow) {
                LOG.warn("Heap nearly full after a collection ({} of {} in use): refusing new work until it is freed",
                    ByteSize.describe(used), ByteSize.describe(Runtime.getRuntime().maxMemory()));
            } else {
                LOG.info("Heap freed ({} in use): taking new work again", ByteSize.describe(used));
            }
        }
    }

    /** While low, asks for a full collection at most every few seconds, so the state can clear. */
    private void nudge() {
        long now = System.nanoTime();
        long last = lastNudge.get();
        if (now - last > NUDGE_NANOS && lastNudge.compareAndSet(last, now)) {
            Thread collector = new Thread(System::gc, "agent-chat-heap-nudge");
            collector.setDaemon(true);
            collector.start();
        }
    }

    @PreDestroy
    void stop() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (ListenerNotFoundException ignored) {
                    // never added to this one
                }
            }
        }
    }
}
