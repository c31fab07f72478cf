package dev.agentchat.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentchat.limits.LimitSettings;
import dev.agentchat.room.RoomSettings;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsCheckTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "agent-chat.max-history|abc|Invalid setting agent-chat.max-history='abc': expected a whole number from 0 to 2147483647",
        "agent-chat.limits.streams-total|-5|Invalid setting agent-chat.limits.streams-total='-5': expected a whole number from 0 to 2147483647",
        "agent-chat.max-message-bytes|99999999999|Invalid setting agent-chat.max-message-bytes='99999999999': expected a whole number from 0 to 2147483647",
        "agent-chat.rooms.ttl|zz|Invalid setting agent-chat.rooms.ttl='zz': expected a duration such as 500ms, 30s, 5m or 24h",
        "agent-chat.limits.request-read-timeout|0|Invalid setting agent-chat.limits.request-read-timeout='0': expected a duration such as 500ms, 30s, 5m or 24h",
        "agent-chat.keepalive|-5s|Invalid setting agent-chat.keepalive='-5s': expected a duration such as 500ms, 30s, 5m or 24h",
        "agent-chat.rooms.enabled|perhaps|Invalid setting agent-chat.rooms.enabled='perhaps': expected true or false",
        "agent-chat.trust-proxy|maybe|Invalid setting agent-chat.trust-proxy='maybe': expected true or false",
        "agent-chat.redis-url|nonsense|Invalid setting agent-chat.redis-url='nonsense': expected a URL such as redis://host:6379 or https://host (a scheme, a host, a port up to 65535)",
        "agent-chat.redis-url|redis://:pw@localhost:99999|Invalid setting agent-chat.redis-url='redis://:pw@localhost:99999': expected a URL such as redis://host:6379 or https://host (a scheme, a host, a port up to 65535)",
        "agent-chat.public-url|room.example.test/|Invalid setting agent-chat.public-url='room.example.test/': expected a URL such as redis://host:6379 or https://host (a scheme, a host, a port up to 65535)",
        "agent-chat.dead-peer-timeout|soon|Invalid setting agent-chat.dead-peer-timeout='soon': expected a duration such as 500ms, 30s, 5m or 24h",
        "agent-chat.memory.history-total|lots|Invalid setting agent-chat.memory.history-total='lots': expected a size (bytes, 64KiB, 1MiB, or a share of the heap like 25%)"})
    void aSettingThatIsNotOfItsKindStopsTheServerFromStartingAndSaysWhichAndWhy(String key, String value, String message) {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> start(Map.of(key, value)).close());

        assertEquals(Optional.of(message), SettingsCheck.refusal(refused));
    }

    @Test
    void settingsOfTheirKindAreTakenAsGiven() {
        try (ApplicationContext context = start(Map.of("agent-chat.max-history", "42", "agent-chat.limits.streams-total", 0,
            "agent-chat.keepalive", "250ms", "agent-chat.limits.request-read-timeout", "0s",
            "agent-chat.rooms.enabled", "FALSE", "agent-chat.memory.history-total", "64MiB"))) {
            RoomSettings room = context.getBean(RoomSettings.class);

            assertEquals(42, room.maxHistory());
            assertEquals(Duration.ofMillis(250), room.keepalive());
            assertEquals(0, context.getBean(LimitSettings.class).streamsTotal());
            assertEquals(Duration.ZERO, context.getBean(LimitSettings.class).requestReadTimeout());
        }
    }

    private static ApplicationContext start(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("agent-chat.password", "pw");
        all.put("micronaut.server.port", -1);
        return ApplicationContext.builder().properties(all).start();
    }
}
