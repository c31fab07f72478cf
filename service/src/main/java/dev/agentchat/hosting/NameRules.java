package dev.agentchat.hosting;

import dev.agentchat.auth.Caller;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.names.Names;
import dev.agentchat.presence.AgentView;
import dev.agentchat.presence.RosterEntry;
import dev.agentchat.room.Draft;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@link Names} means for each room operation, the same for the HTTP API and the room's MCP
 * tools: who may post under a name, under which name a caller listens, and when its listening ends.
 */
@Singleton
public class NameRules {
    private final Names names;

    public NameRules(Names names) {
        this.names = names;
    }

    public Names names() {
        return names;
    }

    /**
     * Everyone present, with the held, muted and blocked (kicked) names marked; held names nobody has
     * used yet come next, and last the names the host kicked or muted that are neither present nor
     * held, while they are blocked or muted. Each store is read once for all of them (a room in Redis:
     * a few round trips, however many agents).
     */
    public List<RosterEntry> roster(HostedRoom hosted) {
        String room = RoomRegistry.key(hosted);
        List<AgentView> present = hosted.presence().everyone();
        Map<String, Names.Held> held = new LinkedHashMap<>();
        names.held(room).forEach(h -> held.put(Names.key(h.name()), h));
        List<String> all = new ArrayList<>(present.stream().map(AgentView::name).toList());
        Set<String> presentKeys = new HashSet<>(all.stream().map(Names::key).toList());
        held.values().stream().map(Names.Held::name).filter(name -> !presentKeys.contains(Names.key(name))).forEach(all::add);
        Set<String> onlyModerated = new HashSet<>();
        new TreeMap<>(names.moderated(room)).forEach((key, name) -> {
            if (!presentKeys.contains(key) && !held.containsKey(key)) {
                onlyModerated.add(name);
                all.add(name);
            }
        });
        // muted whether or not anyone holds the name
        Set<String> muted = names.muted(room, all.stream().filter(name -> !held.containsKey(Names.key(name))).toList());
        Map<String, Long> readUpTo = hosted.cursors().readUpTo(all);
        Map<String, Long> blocked = names.blockedUntil(room, all);
        Map<String, AgentView> byName = new HashMap<>();
        present.forEach(view -> byName.put(view.name(), view));
        List<RosterEntry> roster = new ArrayList<>(all.size());
        for (String name : all) {
            AgentView view = byName.get(name);
            Names.Held holder = held.get(Names.key(name));
            Long until = blocked.get(Names.key(name));
            if (onlyModerated.contains(name) && until == null && !muted.contains(name)) {
                continue; // its block or mute is over
            }
            // a kicked name is not online, whatever its last connections still say while they close
            roster.add(new RosterEntry(name, view != null && view.online() && until == null, view == null ? 0 : view.connections(),
                view == null ? null : view.lastSeen(), readUpTo.get(name), view != null && view.connections() > 0,
                holder != null, holder == null ? null : holder.kind(),
                holder != null ? holder.muted() : muted.contains(name), until == null ? null : Instant.ofEpochMilli(until)));
        }
        return roster;
    }

    /**
     * Refuses a post a caller may not make: under a name someone else holds ({@code name_claimed},
     * the host included), a muted name ({@code muted}) or a kicked one ({@code kicked}).
     */
    public void admitPost(HostedRoom room, Caller caller, Draft draft) {
        String key = RoomRegistry.key(room);
        if (!caller.verified()) {
            names.refuseToOthers(key, draft.agent());
        }
        names.refuseMuted(key, draft.agent());
    }

    /** Refuses a muted or kicked person's release of the loop brake: muting takes their say in the room. */
    public void admitBrakeRelease(HostedRoom room, Caller caller) {
        if (!caller.isHost() && caller.name() != null) {
            names.refuseMuted(RoomRegistry.key(room), caller.name());
        }
    }

    /**
     * The name a caller acknowledges, claims or releases work under: a holder's own name (another
     * one is refused), else the name it gave, refused while someone else holds it or it is blocked.
     */
    @Nullable
    public String actingAs(HostedRoom room, Caller caller, @Nullable String agent) {
        if (caller.verified()) {
            if (agent != null && !agent.equalsIgnoreCase(caller.name())) {
                throw ApiError.INVALID_FIELD.exception("This token holds the name '" + caller.name()
                    + "': leave 'agent' out or give that name");
            }
            return caller.name();
        }
        if (agent != null && NewMessageValidator.isValidName(agent)) {
            names.refuseToOthers(RoomRegistry.key(room), agent);
        }
        return agent;
    }

    /**
     * The name a caller listens under: a holder's own name, else the one it gave (refused while
     * kicked), unless someone holds it: then the caller reads as nobody. Reading is not refused (the
     * password reads the room), but only the name's token makes a held name present and moves its read
     * receipt, so a page whose name was refused, or anyone with the password, cannot show a held
     * name online or as having seen a message. The host listens under any name it gives.
     */
    @Nullable
    public String listener(HostedRoom room, Caller caller, @Nullable String agent) {
        if (caller.verified()) {
            return caller.name();
        }
        if (caller.readOnly()) {
            // an observer watches as nobody: its ?agent= would make that agent present and move its read receipt
            return null;
        }
        if (agent == null || agent.isEmpty()) {
            return agent;
        }
        String key = RoomRegistry.key(room);
        names.refuseBlocked(key, Names.key(agent));
        return caller.role() != Caller.Role.HOST && names.held(key, agent) ? null : agent;
    }

    /**
     * When the name a caller listens under without holding it ({@link #listener}: nobody held it then) is
     * claimed by someone: never for a holder, the host, or no name.
     */
    public Mono<?> handedOver(HostedRoom room, Caller caller, @Nullable String listener) {
        if (listener == null || caller.verified() || caller.role() == Caller.Role.HOST) {
            return Mono.never();
        }
        return names.claimOf(RoomRegistry.key(room), listener);
    }

    /**
     * When {@code name} is kicked from the room: the refusal it gets from then on ({@code kicked},
     * saying until when the name is blocked); never, for no name.
     */
    public Mono<ApiException> removal(HostedRoom room, @Nullable String name) {
        if (name == null) {
            return Mono.never();
        }
        String key = RoomRegistry.key(room);
        // the block is read from the store off the thread the kick was announced on (Redis's, for a shared store)
        return names.kickOf(key, name).next()
            .publishOn(Schedulers.boundedElastic())
            .map(kick -> names.kicked(key, name));
    }

    /**
     * Ends {@code poll} with {@code kicked} (saying until when the name is blocked) when {@code name}
     * is kicked from the room.
     */
    public <T> Mono<T> untilKicked(HostedRoom room, @Nullable String name, Mono<T> poll) {
        return name == null ? poll : Mono.firstWithSignal(poll, removal(room, name).flatMap(Mono::error));
    }
}
