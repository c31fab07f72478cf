package dev.agentchat.transport;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OneShotSignalTest {
    @Test
    void firingWakesEveryWaiterOnce() {
        OneShotSignal signal = new OneShotSignal();
        AtomicInteger woken = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            signal.whenFired(woken::incrementAndGet);
        }
        assertEquals(0, woken.get());
        assertEquals(3, signal.waiters());

        signal.fire();
        signal.fire();

        assertEquals(3, woken.get());
        assertEquals(0, signal.waiters());
    }

    @Test
    void aWaiterThatComesAfterTheSignalIsWokenAtOnce() {
        OneShotSignal signal = new OneShotSignal();
        signal.fire();
        AtomicInteger woken = new AtomicInteger();

        signal.whenFired(woken::incrementAndGet);

        assertEquals(1, woken.get());
        assertEquals(0, signal.waiters());
    }

    @Test
    void aWaiterThatLeavesIsLetGoAndNotWoken() {
        OneShotSignal signal = new OneShotSignal();
        AtomicInteger woken = new AtomicInteger();
        Disposable waiter = signal.whenFired(woken::incrementAndGet);

        waiter.dispose();
        signal.fire();

        assertEquals(0, signal.waiters());
        assertEquals(0, woken.get());
    }
}
