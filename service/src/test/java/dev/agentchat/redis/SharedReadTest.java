package dev.agentchat.redis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SharedReadTest {
    private final SharedRead<String, List<String>> reads = new SharedRead<>();
    private final AtomicInteger readCount = new AtomicInteger();

    private List<String> read(String answer) {
        readCount.incrementAndGet();
        return List.of(answer);
    }

    @Test
    void callersAskingTheSameQuestionMeanwhileShareOneRead() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(() -> reads.get(1, "after 4", () -> {
                reading.countDown();
                await(release);
                return read("5");
            }), callers);
            await(reading);
            List<CompletableFuture<List<String>>> others = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                others.add(CompletableFuture.supplyAsync(() -> reads.get(1, "after 4", () -> read("other")), callers));
            }
            release.countDown();
            for (CompletableFuture<List<String>> other : others) {
                assertSame(first.get(10, TimeUnit.SECONDS), other.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, readCount.get());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aNewerArrivalMakesTheNextCallerReadAgain() {
        assertEquals(List.of("5"), reads.get(1, "after 4", () -> read("5")));
        assertEquals(List.of("5"), reads.get(1, "after 4", () -> read("never read")));
        assertEquals(List.of("5", "6"), reads.get(2, "after 4", () -> List.of(read("5").get(0), "6")));
        assertEquals(2, readCount.get());
    }

    @Test
    void anotherQuestionIsReadOnItsOwn() {
        reads.get(1, "after 4", () -> read("5"));
        assertEquals(List.of("6"), reads.get(1, "after 5", () -> read("6")));
        assertEquals(2, readCount.get());
    }

    @Test
    void aReadThatFailedIsNotShared() {
        IllegalStateException away = new IllegalStateException("store away");
        assertSame(away, assertThrows(IllegalStateException.class, () -> reads.get(1, "after 4", () -> {
            throw away;
        })));
        assertEquals(List.of("5"), reads.get(1, "after 4", () -> read("5")));
        assertEquals(1, readCount.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
