package dev.agentchat.transport;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header's text for now (RFC 9110's IMF-fixdate), made once a second and shared by
 * every answer within it: formatting it afresh for each answer took a fifth of what a long-poll's
 * wake-up allocated.
 */
public final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

    private HttpDate() {
    }

    /** Now, as an HTTP date. */
    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            stamp = current;
        }
        return current.text();
    }

    private record Stamp(long second, String text) {
    }
}
