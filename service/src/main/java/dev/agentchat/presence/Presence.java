package dev.agentchat.presence;

import dev.agentchat.error.ApiError;
import io.micronaut.core.annotation.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Who is in the room: everyone who spoke or listened, with their open streams and the last time
 * they were seen. An agent is online while a stream is open or shortly after a poll. One per room.
 * It remembers at most {@code maxAgents}: a new name makes it forget the offline agent seen least
 * recently, and is refused ({@code too_many_agents}) only when every remembered agent is online. A
 * name's verified holder is never refused: names polled by anyone cannot lock it out, and the names
 * held in a room are bounded on their own ({@code names.max-per-room}).
 */
public class Presence {
    /** Seconds an agent refused for a full room is told to wait. */
    private static final long RETRY_AFTER_SECONDS = 5;

    /** How long after a poll an agent still counts as online. */
    static final Duration POLL_GRACE = Duration.ofSeconds(75);

    private final ConcurrentHashMap<String, AgentState> agents = new ConcurrentHashMap<>();
    private final Sinks.Many<PresenceChange> changes = Sinks.many().multicast().directBestEffort();
    private final Clock clock = Clock.systemUTC();
    private volatile Runnable onChange = () -> { };
    private volatile Consumer<PresenceChange> transitions = this::announce;
    private volatile Supplier<List<AgentView>> roster = this::list;
    private final int maxAgents;
    private final Object admission = new Object();

    /** A presence with no cap on the agents it remembers (outside a server). */
    public Presence() {
        this(Integer.MAX_VALUE);
    }

    /** @param maxAgents the most agents it remembers */
    public Presence(int maxAgents) {
        this.maxAgents = maxAgents;
    }

    /** A listening connection; closing it ends the agent's presence through it. */
    public interface Listener extends AutoCloseable {
        @Override
        void close();
    }

    private static final Listener NOBODY = () -> { };

    /** The state of one agent; mutated only inside {@code agents.compute}. */
    private static final class AgentState {
        final String name;
        int connections;
        Instant lastSeen;
        Instant lastPoll;

        AgentState(String name, Instant now) {
            this.name = name;
            this.lastSeen = now;
        }
    }

    /** A message posted; {@code holder} when its author is the verified holder of the name. */
    public void spoke(String agent, boolean holder) {
        touch(agent, 0, false, holder);
    }

    /** An open stream; returns what to close when it ends. */
    public Listener connected(@Nullable String agent, boolean holder) {
        if (agent == null) {
            return NOBODY;
        }
        touch(agent, +1, false, holder);
        return () -> touch(agent, -1, false, holder);
    }

    /** A poll, which keeps the agent online for a while after it. */
    public Listener polled(@Nullable String agent, boolean holder) {
        if (agent == null) {
            return NOBODY;
        }
        touch(agent, +1, true, holder);
        return () -> touch(agent, -1, true, holder);
    }

    /** Who is in the room through this instance. */
    public List<AgentView> list() {
        Instant now = clock.instant();
        return agents.values().stream()
            .map(s -> view(s, now))
            .sorted(Comparator.comparing(AgentView::name, String.CASE_INSENSITIVE_ORDER))
            .toList();
    }

    /** Everyone in the room: through this instance, or through every instance when the room is shared. */
    public List<AgentView> everyone() {
        return roster.get();
    }

    /** Where {@link #everyone()} comes from: a distributed store merges every instance's presence there. */
    public void onRoster(Supplier<List<AgentView>> everyone) {
        this.roster = everyone;
    }

    /** Called after every change of this presence (a distributed store shares it from there). */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /**
     * Where this presence's own joined and left go: by default straight to {@link #changes()}; a
     * distributed store takes them instead, to announce what they mean across instances.
     */
    public void onTransition(Consumer<PresenceChange> relay) {
        this.transitions = relay;
    }

    /** Whether the agent is online through this presence. */
    public boolean isOnline(String agent) {
        AgentState state = agents.get(key(agent));
        return state != null && online(state, clock.instant());
    }

    /** Joined and left events, for subscribers that asked for them. */
    public Flux<PresenceChange> changes() {
        return changes.asFlux();
    }

    private void touch(String agent, int delta, boolean poll, boolean holder) {
        Instant now = clock.instant();
        boolean[] onlineBeforeAndAfter = new boolean[2];
        String key = key(agent);
        if (delta >= 0) {
            if (!holder) {
                admit(key, now);
            }
        } else if (!agents.containsKey(key)) {
            return; // forgotten meanwhile: an agent with open connections never is, so nothing to end
        }
        agents.compute(key, (k, state) -> {
            AgentState s = state == null ? new AgentState(agent, now) : state;
            onlineBeforeAndAfter[0] = state != null && online(s, now);
            s.connections = Math.max(0, s.connections + delta);
            s.lastSeen = now;
            if (poll) {
                s.lastPoll = now;
            }
            onlineBeforeAndAfter[1] = s.connections > 0;
            return s;
        });
        if (!onlineBeforeAndAfter[0] && onlineBeforeAndAfter[1]) {
            transitions.accept(new PresenceChange(agent, PresenceChange.JOINED));
        } else if (onlineBeforeAndAfter[0] && !onlineBeforeAndAfter[1] && delta < 0 && !poll) {
            transitions.accept(new PresenceChange(agent, PresenceChange.LEFT));
        }
        onChange.run();
    }

    /** Makes room for a new agent: forgets the offline one seen least recently, or refuses. */
    private void admit(String key, Instant now) {
        if (agents.size() < maxAgents || agents.containsKey(key)) {
            return;
        }
        synchronized (admission) {
            if (agents.size() < maxAgents || agents.containsKey(key)) {
                return;
            }
            AgentState oldest = null;
            for (AgentState s : agents.values()) {
                if (!online(s, now) && (oldest == null || s.lastSeen.isBefore(oldest.lastSeen))) {
                    oldest = s;
                }
            }
            if (oldest == null) {
                throw ApiError.TOO_MANY_AGENTS.limit(maxAgents, RETRY_AFTER_SECONDS);
            }
            agents.remove(key(oldest.name), oldest);
        }
    }

    /** How many agents it remembers. */
    public int size() {
        return agents.size();
    }

    /** Tells the subscribers of {@link #changes()}. */
    public synchronized void announce(PresenceChange change) {
        changes.tryEmitNext(change);
    }

    private static boolean online(AgentState s, Instant now) {
        return s.connections > 0 || (s.lastPoll != null && s.lastPoll.plus(POLL_GRACE).isAfter(now));
    }

    private static AgentView view(AgentState s, Instant now) {
        return new AgentView(s.name, online(s, now), s.lastSeen, s.connections);
    }

    private static String key(String agent) {
        return agent.toLowerCase(java.util.Locale.ROOT);
    }
}
