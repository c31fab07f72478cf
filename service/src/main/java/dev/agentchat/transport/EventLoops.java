package dev.agentchat.transport;

import io.micronaut.core.annotation.Nullable;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server event loop a request is being handled on, as a Reactor scheduler (timers included: they
 * run on the loop too). Work that one thread
 * triggers for many connections (a post waking every stream and long-poll) is moved to each
 * connection's own loop: it then runs on every core, and the answer is written from the thread that
 * owns the socket instead of being handed across threads.
 */
public final class EventLoops {
    private static final Map<EventExecutor, Scheduler> SCHEDULERS = new ConcurrentHashMap<>();

    private EventLoops() {
    }

    /** The calling thread's event loop, or null when the caller is not on one (tests, other threads). */
    @Nullable
    public static EventExecutor currentLoop() {
        return ThreadExecutorMap.currentExecutor();
    }

    /** {@link #currentLoop()} as a Reactor scheduler, or null. */
    @Nullable
    public static Scheduler current() {
        EventExecutor loop = currentLoop();
        return loop == null ? null : SCHEDULERS.computeIfAbsent(loop, Schedulers::fromExecutorService);
    }
}
