package dev.agentchat.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentchat.limits.LimitSettings;
import dev.agentchat.room.RoomSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        "agent-chat.redis-url|redis://:pw@localhost:99999|Invalid setting agent-chat.redis-url='redis://:***@localhost:99999': expected a URL such as redis://host:6379 or https://host (a scheme, a host, a port up to 65535)",
        "agent-chat.public-url|room.example.test/|Invalid setting agent-chat.public-url='room.example.test/': expected a URL such as redis://host:6379 or https://host (a scheme, a host, a port up to 65535)",
        "agent-chat.dead-peer-timeout|soon|Invalid setting agent-chat.dead-peer-timeout='soon': expected a duration such as 500ms, 30s, 5m or 24h",
        "agent-chat.memory.history-total|lots|Invalid setting agent-chat.memory.history-total='lots': expected a size (bytes, 64KiB, 1MiB, or a share of the heap like 25%)"})
    void aSettingThatIsNotOfItsKindStopsTheServerFromStartingAndSaysWhichAndWhy(String key, String value, String message) {
        assertEquals(Optional.of(message), refusal(Map.of(key, value)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "agent-chat.memory.low-heap|0%", "agent-chat.memory.low-heap|150%", "agent-chat.memory.history-total|100.5%",
        "agent-chat.memory.history-per-room|0.0%", "agent-chat.memory.room-reserve|200%"})
    void aShareOfTheHeapOfNoneOrMoreThanAllOfItIsRefused(String key, String value) {
        assertEquals(Optional.of("Invalid setting " + key + "='" + value + "': expected a share of the heap above 0% and at most 100%"),
            refusal(Map.of(key, value)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "agent-chat.max-histroy|Unknown setting agent-chat.max-histroy: did you mean agent-chat.max-history?",
        "agent-chat.limits.stream-total|Unknown setting agent-chat.limits.stream-total: did you mean agent-chat.limits.streams-total?",
        "agent-chat.no-such-key|Unknown setting agent-chat.no-such-key: the settings are in docs/operations.md and docs/limits.md"})
    void aKeyNoSettingHasIsRefusedWithTheNearestKnownOne(String key, String message) {
        assertEquals(Optional.of(message), refusal(Map.of(key, "5")));
    }

    @Test
    void anEnvironmentVariableThatNamesNoSettingIsWarnedAboutUnlessAgentChatReadsItForItself() {
        Set<String> known;
        try (ApplicationContext context = start(Map.of())) {
            known = new DeclaredSettings(context).types().keySet();
        }
        assertEquals(List.of(
                "AGENT_CHAT_MAX_HISTROY names no setting and is not read: did you mean AGENT_CHAT_MAX_HISTORY?",
                "AGENT_CHAT_NO_SUCH_KEY names no setting and is not read: the settings are in docs/operations.md and docs/limits.md"),
            UnknownSettings.unknownVariables(List.of("AGENT_CHAT_MAX_HISTROY", "AGENT_CHAT_MAX_HISTORY",
                "AGENT_CHAT_LIMITS_STREAMS_TOTAL", "AGENT_CHAT_HOST_KEY", "AGENT_CHAT_REDIS_URL", "AGENT_CHAT_NO_SUCH_KEY",
                "AGENT_CHATTER", "PATH"), known));
        assertEquals(List.of(), UnknownSettings.unknownVariables(UnknownSettings.OWN_VARIABLES, known));
    }

    @Test
    void aFrameworkSettingThatDoesNotConvertIsSaidInOneSentence() {
        assertEquals(Optional.of("Invalid setting micronaut.server.max-request-size='abc': expected a whole number"),
            refusal(Map.of("micronaut.server.max-request-size", "abc")));
        assertEquals(Optional.of("Invalid setting micronaut.server.idle-timeout='soon': expected " + SettingsCheck.DURATION),
            refusal(Map.of("micronaut.server.idle-timeout", "soon")));
    }

    @Test
    void aSettingOfABeanThisRunLeavesOutIsStillKnown() {
        try (ApplicationContext context = start(Map.of())) {
            assertTrue(new DeclaredSettings(context).types().containsKey("agent-chat.redis-url"));
        }
    }

    @Test
    void settingsOfTheirKindAreTakenAsGiven() {
        try (ApplicationContext context = start(Map.of("agent-chat.max-history", "42", "agent-chat.limits.streams-total", 0,
            "agent-chat.keepalive", "250ms", "agent-chat.limits.request-read-timeout", "0s",
            "agent-chat.rooms.enabled", "FALSE", "agent-chat.memory.history-total", "64MiB", "agent-chat.memory.low-heap", "100%"))) {
            RoomSettings room = context.getBean(RoomSettings.class);

            assertEquals(42, room.maxHistory());
            assertEquals(Duration.ofMillis(250), room.keepalive());
            assertEquals(0, context.getBean(LimitSettings.class).streamsTotal());
            assertEquals(Duration.ZERO, context.getBean(LimitSettings.class).requestReadTimeout());
        }
    }

    private static ApplicationContext start(Map<String, Object> settings) {
        return ApplicationContext.builder().properties(withPassword(settings)).start();
    }

    /** Why a server given {@code settings} does not start (its HTTP server too, which reads the framework's settings). */
    private static Optional<String> refusal(Map<String, Object> settings) {
        ApplicationContext context = ApplicationContext.builder().properties(withPassword(settings)).build();
        RuntimeException refused = assertThrows(RuntimeException.class, () -> {
            context.start();
            context.getBean(EmbeddedServer.class).start();
        });
        Optional<String> refusal = SettingsCheck.refusal(refused, context);
        context.close();
        return refusal;
    }

    private static Map<String, Object> withPassword(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("agent-chat.password", "pw");
        all.put("micronaut.server.port", -1);
        return all;
    }
}
