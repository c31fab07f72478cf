package dev.agentchat.cli.client;

import io.micronaut.core.annotation.Nullable;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The room's identity ({@code RoomId}: the same under every URL that reaches the room, another for a
 * room made afresh), by which a name's token and a read cursor saved under one URL are found under
 * another. Learnt from the room's answers ({@code room_id} of {@code POST {base}/join}) or from what
 * was saved with them, and asked for ({@code GET {base}/room}) only when nothing told it yet; empty
 * for a server that has none (the original one, an older agent-chat) or cannot be asked.
 */
final class RoomIdentity implements Supplier<Optional<String>> {
    /** Where the room's answer to {@code POST {base}/join} gives it, and where the state saved for the room keeps it. */
    static final String FIELD = "room_id";

    private final RoomHttp http;
    /** Null until known or asked for. */
    @Nullable
    private volatile Optional<String> id;

    RoomIdentity(RoomHttp http) {
        this.http = http;
    }

    /** Records the identity the room or a file saved for it told, when it told one. */
    void learnt(@Nullable String roomId) {
        if (roomId != null) {
            id = Optional.of(roomId);
        }
    }

    /** The identity when it is known, without asking the room. */
    Optional<String> known() {
        Optional<String> told = id;
        return told == null ? Optional.empty() : told;
    }

    /** The identity, asking the room the first time nothing told it. */
    @Override
    public Optional<String> get() {
        Optional<String> told = id;
        if (told == null) {
            try {
                told = Optional.ofNullable(http.withPassword(null, "GET", "/room", null, RoomHttp.TIMEOUT,
                    json -> Wire.object(json).get("id") instanceof String room ? room : null));
            } catch (RoomException e) {
                told = Optional.empty(); // what the room refuses is said by the request that needs it
            }
            id = told;
        }
        return told;
    }
}
