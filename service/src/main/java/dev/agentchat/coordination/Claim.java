package dev.agentchat.coordination;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One work claim as the room keeps it (in Redis too, as JSON).
 *
 * @param id        stable across renewals
 * @param agent     the holder
 * @param resource  the path glob claimed ({@link Globs})
 * @param note      what it is for, or null
 * @param takenAt   when it was first taken (epoch millis)
 * @param expiresAt when it ends unless renewed (epoch millis)
 */
@Serdeable
public record Claim(String id, String agent, String resource, @Nullable String note, long takenAt, long expiresAt) {

    public boolean heldBy(String name) {
        return agent.equalsIgnoreCase(name);
    }

    public boolean liveAt(long now) {
        return expiresAt > now;
    }
}
