package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;
import dev.agentchat.client.room.Rooms;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The host's requests, made with the server's host key ({@code serve} prints it) instead of the
 * room password: kicking and muting names, setting the topic, releasing the loop brake, and creating,
 * listing and ending named rooms. A 401 is a wrong host key.
 */
public final class HostClient {
    /** The header that gives a new room its observer password ({@code createRoom}). */
    private static final String OBSERVER_PASSWORD_HEADER = "X-Observer-Password";

    private final RoomClient room;
    @Nullable
    private final String hostKey;

    /**
     * @param room    the room the requests go to; for {@link #createRoom} and {@link #clientJar}, the
     *                server (its address is the server's) and the new room's password
     * @param hostKey the host key; null only to create a room on a server that lets anyone ({@code --open-rooms})
     */
    public HostClient(RoomClient room, @Nullable String hostKey) {
        this.room = room;
        this.hostKey = hostKey;
    }

    /**
     * The host's operations on a name ({@code kick}, {@code mute}, {@code unmute}), with no password
     * needed; answers the name's state as the server gives it ({@code agent}, {@code muted},
     * {@code blocked_until}).
     */
    public Map<String, Object> moderate(String agent, String action) {
        String path = "/agents/" + RoomClient.encode(agent) + (action.equals("kick") ? "/kick" : "/mute");
        String method = action.equals("unmute") ? "DELETE" : "POST";
        try {
            return asHost(method, path, null, Wire::object);
        } catch (RoomException e) {
            throw olderServer(e, "This server has no host operations (it is an older agent-chat server)");
        }
    }

    /** Sets the room's topic (empty clears it); returns the topic now set. */
    public Optional<String> setTopic(String topic) {
        try {
            return Optional.ofNullable(asHost("PUT", "/room/topic", Json.object().put("topic", topic).toString(),
                RoomClient::topicOf));
        } catch (RoomException e) {
            throw olderServer(e, "This server keeps no topic (it is an older agent-chat server)");
        }
    }

    /** Releases the loop brake ({@code POST {base}/room/brake/release}). */
    public RoomClient.Brake releaseBrake() {
        return asHost("POST", "/room/brake/release", "{}", RoomClient.Brake::of);
    }

    /**
     * What {@link #createRoom} answers: whether the room was created, and its URL as others reach it
     * (the server's public URL, a tunnel's), when the server said (older servers do not).
     */
    public record RoomAccess(boolean created, Optional<String> url) {
    }

    /**
     * Creates the named room {@code name} on the server with the client's password, or checks that
     * password against the room already there ({@code PUT /rooms/NAME}).
     * {@code observerPassword} lets guests watch the new room.
     */
    public RoomAccess createRoom(String name, @Nullable String observerPassword) {
        List<String> headers = new ArrayList<>(List.of(Rooms.PASSWORD_HEADER, room.http().passwordHeader()));
        if (hostKey != null) {
            headers.addAll(List.of("Authorization", RoomHttp.bearer(hostKey)));
        }
        if (observerPassword != null) {
            headers.addAll(List.of(OBSERVER_PASSWORD_HEADER, Rooms.passwordHeader(observerPassword)));
        }
        try {
            return room.http().request("PUT", RoomAddress.roomPath(RoomClient.encode(name)), null, RoomHttp.TIMEOUT,
                json -> new RoomAccess(Boolean.TRUE.equals(Wire.object(json).get("created")),
                    Optional.ofNullable(Wire.object(json).get("url") instanceof String url && !url.isBlank() ? url : null)),
                headers.toArray(String[]::new));
        } catch (RoomException e) {
            if ("invalid_token".equals(e.code())) {
                throw wrongHostKey(e);
            }
            if (e.status() == 401) {
                throw new RoomException(RoomException.Kind.INVALID_PASSWORD, 401,
                    "Room " + name + " already exists with another password", e.code(), null);
            }
            if ("host_only".equals(e.code())) {
                throw new RoomException(RoomException.Kind.REJECTED, 403, "Only the host creates rooms on this server: "
                    + "give the host key serve printed (--host-key KEY or AGENT_CHAT_HOST_KEY)", e.code(), null);
            }
            throw olderServer(e, "This server has no named rooms (it is an older agent-chat server)");
        }
    }

    /** A named room as the server lists it: its name, when it was created, when it ends unless used. */
    public record ListedRoom(String name, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
    }

    /** The server's named rooms, oldest first ({@code GET /rooms}); the client's address is the server's. */
    public List<ListedRoom> rooms() {
        try {
            List<ListedRoom> rooms = asHost("GET", "/rooms", null, json -> Wire.list(Wire.object(json).get("rooms"), item -> {
                Map<String, Object> room = Wire.object(item);
                return new ListedRoom((String) room.get("room"), Wire.timestamp(room.get("created_at")),
                    Wire.timestamp(room.get("expires_at")));
            }));
            return rooms == null ? List.of() : rooms;
        } catch (RoomException e) {
            throw olderServer(e, "This server cannot list its rooms (it is an older agent-chat server)");
        }
    }

    /** Ends the room now, with its messages ({@code DELETE {base}/room}); the client's address is the room's. */
    public void endRoom() {
        try {
            asHost("DELETE", "/room", null, json -> null);
        } catch (RoomException e) {
            throw olderServer(e, "This server cannot end a room (it is an older agent-chat server)");
        }
    }

    /**
     * A refusal for want of the operation as such ({@link RoomException#unknownOperation}), saying
     * {@code unsupported}. Any other refusal stays as it is.
     */
    private static RoomException olderServer(RoomException refused, String unsupported) {
        if (refused.unknownOperation()) {
            return new RoomException(RoomException.Kind.UNSUPPORTED, refused.status(), unsupported);
        }
        return refused;
    }

    /** Whether the server hands out the CLI's jar ({@code /agent-chat.jar}). */
    public boolean handsOutClientJar() {
        URI jar = room.address().resolve("/agent-chat.jar");
        HttpRequest head = HttpRequest.newBuilder(jar).timeout(RoomHttp.TIMEOUT)
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            int status = HttpClients.builder(room.address()).connectTimeout(RoomHttp.CONNECT_TIMEOUT).build()
                .send(head, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One request with the host key instead of the password. */
    private <T> T asHost(String method, String path, @Nullable String body, Function<Object, T> reader) {
        try {
            return room.http().request(method, path, body, RoomHttp.TIMEOUT, reader, "Authorization", RoomHttp.bearer(hostKey));
        } catch (RoomException e) {
            if (e.status() == 401) {
                throw wrongHostKey(e);
            }
            throw e;
        }
    }

    private static RoomException wrongHostKey(RoomException refused) {
        return new RoomException(RoomException.Kind.INVALID_PASSWORD, 401, "Wrong host key", refused.code(), null);
    }
}
