package dev.agentchat.cli.output;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalClockTest {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Test
    void showsTheTimeOnTheSystemClockAsTheZoneRulesDoOnBothSidesOfADaylightSavingChange() {
        TimeZone before = TimeZone.getDefault();
        try {
            for (String zone : new String[] {"Europe/Berlin", "America/St_Johns", "Asia/Kolkata", "UTC"}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                for (String instant : new String[] {"2026-01-15T12:00:00Z", "2026-07-15T23:59:59Z", "2026-03-29T00:59:59Z",
                    "2026-03-29T01:00:00Z", "2026-11-01T05:30:00-02:00"}) {
                    OffsetDateTime timestamp = OffsetDateTime.parse(instant);
                    assertEquals(CLOCK.format(timestamp.atZoneSameInstant(ZoneId.of(zone))), LocalClock.local(timestamp),
                        zone + " " + instant);
                }
            }
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void showsTheDateBeforeTheTimeOnlyWhenItIsNotTodayOnTheSystemClock() {
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
            OffsetDateTime now = OffsetDateTime.now(ZoneId.of("Asia/Tokyo")).withHour(12);
            assertEquals("12:00:00", LocalClock.localWithDay(now.withMinute(0).withSecond(0)));
            OffsetDateTime tomorrowInTokyo = now.plusDays(1).withMinute(0).withSecond(0);
            assertEquals(tomorrowInTokyo.toLocalDate() + " 12:00:00", LocalClock.localWithDay(tomorrowInTokyo));
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void showsTheTimeInAGivenZoneWhenThereIsOne() {
        assertEquals("06:40:05", LocalClock.local(OffsetDateTime.parse("2026-12-01T21:40:05Z"), ZoneId.of("Asia/Tokyo")));
    }
}
