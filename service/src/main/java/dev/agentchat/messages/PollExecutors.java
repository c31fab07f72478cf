package dev.agentchat.messages;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * Where a long-poll waits when its request is not on a server event loop: a room in Redis (whose
 * reads block) or a password that was being hashed. A poll's checks run one at a time on one of
 * these single-thread executors, as on an event loop, and the polls spread over all of them: the
 * polls one post wakes read the room in parallel, not one after another on a single shared thread.
 * Their threads start with the first such poll.
 */
@Singleton
final class PollExecutors {
    /** More threads than cores: a check spends most of its time waiting for Redis to answer. */
    private static final int THREADS = 4 * Runtime.getRuntime().availableProcessors();

    private final EventExecutorGroup group = new DefaultEventExecutorGroup(THREADS,
        new DefaultThreadFactory("long-poll", true));

    EventExecutor next() {
        return group.next();
    }

    @PreDestroy
    void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
