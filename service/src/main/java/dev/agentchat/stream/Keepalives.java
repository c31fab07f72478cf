package dev.agentchat.stream;

import dev.agentchat.room.RoomSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Duration;

/**
 * One timer for the keepalives of every stream, instead of a periodic task per stream: each tick goes
 * to every stream open at that moment. A stream that cannot take a tick (it has not written the last
 * thing yet) misses it, which is harmless for a keepalive. A new stream's first keepalive comes at the
 * next tick, so within one keepalive period, as before.
 */
@Singleton
public class Keepalives {
    private final Sinks.Many<Long> ticks = Sinks.many().multicast().directBestEffort();
    private final Disposable timer;

    public Keepalives(RoomSettings settings) {
        Duration every = settings.keepalive();
        timer = Flux.interval(every, every).onBackpressureDrop().subscribe(ticks::tryEmitNext);
    }

    /** The ticks from now on, for as long as the caller stays subscribed. */
    Flux<Long> ticks() {
        return ticks.asFlux();
    }

    @PreDestroy
    public void stop() {
        timer.dispose();
    }
}
