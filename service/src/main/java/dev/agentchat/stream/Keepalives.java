package dev.agentchat.stream;

import dev.agentchat.room.RoomSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One timer for the keepalives of every stream, instead of a periodic task per stream: each tick goes
 * to every stream open at that moment, which sends one keepalive when its connection next takes
 * something. A new stream's first keepalive comes at the next tick, so within one keepalive period.
 */
@Singleton
public class Keepalives {
    private final Set<FrameFeed> feeds = ConcurrentHashMap.newKeySet();
    private final Disposable timer;

    public Keepalives(RoomSettings settings) {
        Duration every = settings.keepalive();
        timer = Flux.interval(every, every).onBackpressureDrop().subscribe(tick -> feeds.forEach(FrameFeed::keepalive));
    }

    void add(FrameFeed feed) {
        feeds.add(feed);
    }

    void remove(FrameFeed feed) {
        feeds.remove(feed);
    }

    @PreDestroy
    public void stop() {
        timer.dispose();
    }
}
