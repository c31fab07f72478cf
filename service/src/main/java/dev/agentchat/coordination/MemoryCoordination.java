package dev.agentchat.coordination;

import dev.agentchat.api.model.ClaimEventAction;
import dev.agentchat.error.ApiError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A room's acknowledgements and claims in this process. */
public final class MemoryCoordination implements Coordination {
    private final Object lock = new Object();
    /** Message id to who acknowledged it; the oldest messages are forgotten beyond the cap. */
    private final TreeMap<Long, List<String>> acks = new TreeMap<>();
    private List<Claim> claims = List.of();
    private int agentTurns;
    private final Sinks.Many<CoordinationEvent> events = Sinks.many().multicast().directBestEffort();
    private final CoordinationLimits limits;
    private final EventJson json;
    private final Clock clock;

    public MemoryCoordination(CoordinationLimits limits, EventJson json, Clock clock) {
        this.limits = limits;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public List<String> ack(long id, String agent) {
        List<String> now;
        boolean added;
        synchronized (lock) {
            List<String> names = acks.computeIfAbsent(id, k -> new ArrayList<>());
            added = names.stream().noneMatch(agent::equalsIgnoreCase);
            if (added) {
                if (names.size() >= limits.acksPerMessage()) {
                    throw ApiError.TOO_MANY_ACKS.limit(limits.acksPerMessage(), null);
                }
                names.add(agent);
            }
            while (acks.size() > limits.ackedMessages()) {
                acks.pollFirstEntry();
            }
            now = List.copyOf(names);
        }
        if (added) {
            announce(json.ack(id, agent, now));
        }
        return now;
    }

    @Override
    public Map<Long, List<String>> acks(Collection<Long> ids) {
        Map<Long, List<String>> found = new HashMap<>();
        synchronized (lock) {
            if (acks.isEmpty()) {
                return found;
            }
            for (Long id : ids) {
                List<String> names = acks.get(id);
                if (names != null) {
                    found.put(id, List.copyOf(names));
                }
            }
        }
        return found;
    }

    @Override
    public ClaimBook.Taken take(ClaimRequest request) {
        ClaimBook.Taken taken;
        synchronized (lock) {
            taken = ClaimBook.take(claims, request, clock.millis(), limits.claims());
            claims = taken.claims();
        }
        announce(json.claim(taken.renewed() ? ClaimEventAction.RENEWED : ClaimEventAction.TAKEN, taken.claim()));
        return taken;
    }

    @Override
    public Claim release(String id, String agent) {
        ClaimBook.Released released;
        synchronized (lock) {
            released = ClaimBook.release(claims, id, agent, clock.millis());
            claims = released.claims();
        }
        announce(json.claim(ClaimEventAction.RELEASED, released.claim()));
        return released.claim();
    }

    @Override
    public Brake turn(boolean human, int limit) {
        Brake before;
        Brake after;
        synchronized (lock) {
            before = Brake.of(agentTurns, limit);
            if (!human && before.engaged()) {
                throw Brakes.refusal(before);
            }
            agentTurns = human ? 0 : agentTurns + 1;
            after = Brake.of(agentTurns, limit);
        }
        announceChange(before, after);
        return after;
    }

    @Override
    public Brake brake(int limit) {
        synchronized (lock) {
            return Brake.of(agentTurns, limit);
        }
    }

    @Override
    public Brake release(int limit) {
        Brake before;
        synchronized (lock) {
            before = Brake.of(agentTurns, limit);
            agentTurns = 0;
        }
        Brake after = Brake.of(0, limit);
        if (before.engaged()) {
            announce(json.brake(after));
        }
        return after;
    }

    private void announceChange(Brake before, Brake after) {
        if (before.engaged() != after.engaged()) {
            announce(json.brake(after));
        }
    }

    @Override
    public List<Claim> claims() {
        synchronized (lock) {
            return ClaimBook.live(claims, clock.millis());
        }
    }

    @Override
    public Flux<CoordinationEvent> events() {
        return events.asFlux();
    }

    private synchronized void announce(CoordinationEvent event) {
        events.tryEmitNext(event);
    }

    @Override
    public void close() {
        events.tryEmitComplete();
    }
}
