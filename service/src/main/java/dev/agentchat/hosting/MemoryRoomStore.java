package dev.agentchat.hosting;

import dev.agentchat.auth.PasswordHash;
import dev.agentchat.coordination.CoordinationLimits;
import dev.agentchat.coordination.EventJson;
import dev.agentchat.coordination.MemoryCoordination;
import dev.agentchat.presence.Presence;
import dev.agentchat.error.ApiError;
import dev.agentchat.limits.LimitSettings;
import dev.agentchat.room.HistoryBudget;
import dev.agentchat.messages.MessageMapper;
import dev.agentchat.messages.MemoryReadCursors;
import dev.agentchat.room.MemoryRoom;
import dev.agentchat.room.RoomSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The named rooms of this process, kept in memory; the default when no Redis is configured. */
@Singleton
@Requires(missingProperty = "agent-chat.redis-url")
public class MemoryRoomStore implements RoomStore {
    private final Map<String, Slot> rooms = new ConcurrentHashMap<>();
    private final RoomSettings roomSettings;
    private final RoomsSettings settings;
    private final MessageMapper mapper;
    private final Clock clock = Clock.systemUTC();
    private final HostedRoom serverRoom;
    private final String serverRoomId = RoomStore.newId();
    private final HistoryBudget budget;
    private final int agentsPerRoom;
    private final CoordinationLimits coordinationLimits;
    private final EventJson eventJson;

    /** A room and the bookkeeping of its life. */
    private static final class Slot {
        final HostedRoom room;
        final String id = RoomStore.newId();
        final String creator;
        volatile long lastActivity;

        Slot(HostedRoom room, String creator, long now) {
            this.room = room;
            this.creator = creator;
            this.lastActivity = now;
        }
    }

    public MemoryRoomStore(RoomSettings roomSettings, RoomsSettings settings, MessageMapper mapper, HistoryBudget budget,
                           LimitSettings limits, EventJson eventJson) {
        this.roomSettings = roomSettings;
        this.settings = settings;
        this.mapper = mapper;
        this.budget = budget;
        this.agentsPerRoom = limits.agentsPerRoom();
        this.coordinationLimits = CoordinationLimits.of(limits);
        this.eventJson = eventJson;
        this.serverRoom = new HostedRoom(RoomName.SERVER, PasswordHash.ofServerPassword(roomSettings.password()), clock.millis(),
            new MemoryRoom(roomSettings.maxHistory(), budget, mapper::json, clock), new Presence(agentsPerRoom), new MemoryReadCursors(), coordination());
        if (roomSettings.topic() != null) {
            serverRoom.room().topic(roomSettings.topic());
        }
    }

    private MemoryCoordination coordination() {
        return new MemoryCoordination(coordinationLimits, eventJson, clock);
    }

    @Override
    public HostedRoom serverRoom() {
        return serverRoom;
    }

    @Override
    public Optional<HostedRoom> find(String name) {
        Slot slot = rooms.get(name);
        if (slot == null) {
            return Optional.empty();
        }
        if (expired(slot, clock.millis())) {
            drop(name, slot);
            return Optional.empty();
        }
        return Optional.of(slot.room);
    }

    @Override
    public synchronized Creation create(String name, String passwordHash, String creator) {
        Optional<HostedRoom> existing = find(name);
        if (existing.isPresent()) {
            return new Creation(existing.get(), false);
        }
        long now = clock.millis();
        sweep();
        if (rooms.size() >= settings.maxRooms()) {
            throw ApiError.TOO_MANY_ROOMS.limit(settings.maxRooms(), null);
        }
        long fromCreator = rooms.values().stream().filter(s -> s.creator.equals(creator)).count();
        if (fromCreator >= settings.maxPerAddress()) {
            throw ApiError.TOO_MANY_ROOMS_FROM_ADDRESS.limit(settings.maxPerAddress(), null);
        }
        // refused with memory_full when its reserve of history would not fit beside the others'
        MemoryRoom room = new MemoryRoom(roomSettings.maxHistory(), budget, mapper::json, clock);
        HostedRoom hosted = new HostedRoom(name, passwordHash, now, room, new Presence(agentsPerRoom), new MemoryReadCursors(),
            coordination());
        rooms.put(name, new Slot(hosted, creator, now));
        return new Creation(hosted, true);
    }

    @Override
    public String id(HostedRoom room) {
        if (room == serverRoom) {
            return serverRoomId;
        }
        Slot slot = rooms.get(room.name());
        if (slot == null || slot.room != room) {
            throw ApiError.ROOM_NOT_FOUND.exception();
        }
        return slot.id;
    }

    @Override
    public void touch(HostedRoom room) {
        Slot slot = rooms.get(room.name());
        if (slot != null && slot.room == room) {
            slot.lastActivity = clock.millis();
        }
    }

    @Override
    public void end(HostedRoom room) {
        Slot slot = rooms.get(room.name());
        if (slot != null && slot.room == room) {
            drop(room.name(), slot);
        }
    }

    @Override
    public List<Listing> list() {
        long now = clock.millis();
        return rooms.values().stream()
            .filter(slot -> !expired(slot, now))
            .map(slot -> new Listing(slot.room.name(), slot.room.createdAt(), expiresAt(slot)))
            .sorted(Comparator.comparingLong(Listing::createdAt).thenComparing(Listing::name))
            .toList();
    }

    /**
     * Drops the rooms whose TTL has passed, and with them their messages. Runs on every creation (a
     * room is also dropped when it is looked up expired), so the rooms kept stay within the cap
     * without a timer: a timer would make this bean start with any application context on the
     * classpath, the CLI's own included.
     */
    void sweep() {
        long now = clock.millis();
        rooms.forEach((name, slot) -> {
            if (expired(slot, now)) {
                drop(name, slot);
            }
        });
    }

    @Override
    @PreDestroy
    public void closeAll() {
        serverRoom.room().close();
        rooms.values().forEach(slot -> slot.room.room().close());
    }

    /** Idle for a TTL: no request, and no stream or waiting poll following it (both are activity). */
    private boolean expired(Slot slot, long now) {
        return now >= expiresAt(slot);
    }

    /** A TTL after its last activity (epoch millis). */
    private long expiresAt(Slot slot) {
        return Math.max(slot.lastActivity, slot.room.room().lastFollowed()) + settings.ttl().toMillis();
    }

    private void drop(String name, Slot slot) {
        if (rooms.remove(name, slot)) {
            slot.room.room().end();
            slot.room.coordination().close();
        }
    }
}
