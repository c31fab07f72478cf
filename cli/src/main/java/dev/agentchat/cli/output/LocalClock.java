package dev.agentchat.cli.output;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * Times as the CLI shows them: {@code HH:mm:ss} on the user's clock. The system's zone is read as a
 * {@link TimeZone} for the offset at that instant, not as a {@link ZoneId}: the same zone and rules,
 * without the {@code java.time} rules provider's search of the class path, which costs a one-shot
 * command tens of milliseconds.
 */
public final class LocalClock {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    /** A time as the API writes it: {@code 2026-11-24T12:21:05.772257+00:00}. */
    private static final Pattern API_TIME =
        Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)");

    private LocalClock() {
    }

    /** {@code timestamp} on the system's clock. */
    public static String local(OffsetDateTime timestamp) {
        return local(timestamp, null);
    }

    /** {@code instant} on the system's clock. */
    public static String local(Instant instant) {
        return local(instant.atOffset(ZoneOffset.UTC), null);
    }

    /** {@code timestamp} on the system's clock, after its date ({@code yyyy-MM-dd HH:mm:ss}) when that is not today's. */
    public static String localWithDay(OffsetDateTime timestamp) {
        OffsetDateTime local = onSystemClock(timestamp);
        OffsetDateTime now = onSystemClock(OffsetDateTime.now(ZoneOffset.UTC));
        return local.toLocalDate().equals(now.toLocalDate()) ? FORMAT.format(local) : DAY.format(local) + " " + FORMAT.format(local);
    }

    /** {@code text} (a server's error, say) with each time the API wrote in it on the system's clock. */
    public static String inText(String text) {
        return API_TIME.matcher(text).replaceAll(time -> local(OffsetDateTime.parse(time.group())));
    }

    /** {@code timestamp} in {@code zone}, or on the system's clock when that is null. */
    public static String local(OffsetDateTime timestamp, @Nullable ZoneId zone) {
        if (zone != null) {
            return FORMAT.format(timestamp.atZoneSameInstant(zone));
        }
        return FORMAT.format(onSystemClock(timestamp));
    }

    private static OffsetDateTime onSystemClock(OffsetDateTime timestamp) {
        int offsetMillis = TimeZone.getDefault().getOffset(timestamp.toInstant().toEpochMilli());
        return timestamp.withOffsetSameInstant(ZoneOffset.ofTotalSeconds(offsetMillis / 1000));
    }
}
