package dev.agentchat.presence;

import io.micronaut.serde.annotation.Serdeable;

/** An agent came online or went offline: the data of a {@code presence} event. */
@Serdeable
public record PresenceChange(String agent, String state) {
    public static final String JOINED = "joined";
    public static final String LEFT = "left";
}
