package dev.agentchat.hosting;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the named rooms ({@code agent-chat.rooms.*}; {@code serve} flags set them). The defaults
 * are here and nowhere else, as in {@link dev.agentchat.room.RoomSettings}.
 *
 * @param enabled         whether {@code PUT /rooms/{room}} may create rooms ({@code --no-rooms} turns it off)
 * @param open            whether anyone with a password may create a room ({@code --open-rooms}); else only the host
 * @param ttl             a room with no activity (no request, no open stream, no waiting poll) for this long disappears with its messages ({@code --room-ttl})
 * @param maxRooms        the most rooms this server (or all instances sharing one Redis) hosts at once
 * @param maxPerAddress   the most live rooms created from one client address
 * @param authCache       how long a checked password is remembered, so the slow hash is not computed per request
 * @param hashIterations  PBKDF2 iterations of a room password's hash
 * @param sweep           how often expired in-memory rooms are dropped
 */
@ConfigurationProperties("agent-chat.rooms")
public record RoomsSettings(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "false") boolean open,
    @Bindable(defaultValue = RoomsSettings.DEFAULT_TTL) Duration ttl,
    @Bindable(defaultValue = "1000") int maxRooms,
    @Bindable(defaultValue = "20") int maxPerAddress,
    @Bindable(defaultValue = "60s") Duration authCache,
    @Bindable(defaultValue = "120000") int hashIterations,
    @Bindable(defaultValue = "30s") Duration sweep) {
    public static final String DEFAULT_TTL = "24h";
}
