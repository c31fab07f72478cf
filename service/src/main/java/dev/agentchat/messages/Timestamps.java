package dev.agentchat.messages;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one way a full timestamp is written on every surface (the API's JSON, the CLI's JSON,
 * {@code who --json}, the MCP results of both MCP servers): ISO-8601 in UTC with microseconds and a
 * numeric offset, {@code 2026-11-24T12:21:05.772257+00:00} (the same pattern as
 * {@code micronaut.serde.date-format} in application.yml).
 */
public final class Timestamps {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private Timestamps() {
    }

    /** The timestamp in the API's format, or null for null. */
    @Nullable
    public static String format(@Nullable OffsetDateTime timestamp) {
        return timestamp == null ? null : FORMAT.format(timestamp.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** A time kept as epoch milliseconds, as the API's models take it (in UTC). */
    public static OffsetDateTime utc(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

    /** The instant in the API's format, or null for null. */
    @Nullable
    public static String format(@Nullable Instant instant) {
        return instant == null ? null : FORMAT.format(instant.atOffset(ZoneOffset.UTC));
    }
}
