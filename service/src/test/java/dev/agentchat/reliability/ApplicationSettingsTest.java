package dev.agentchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dev.agentchat.Application}, the server on its own, checks its settings as {@code serve} does:
 * its JVM's {@code agent-chat.*} properties are refused when no setting has them, and a refusal is one
 * line naming the setting and exit status 2, not a stack trace.
 */
class ApplicationSettingsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "agent-chat.max-histroy=5|Unknown setting agent-chat.max-histroy: did you mean agent-chat.max-history?",
        "agent-chat.max-history=abc|Invalid setting agent-chat.max-history='abc': expected a whole number from 0 to 2147483647"})
    void aSettingTheServerCannotRunWithStopsItInOneLineAsServeDoes(String setting, String sentence) throws Exception {
        ServerProcess server = ServerProcess.start(List.of(), setting);
        try {
            assertTrue(server.process().waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS),
                "still running: " + server.logTail());
            assertEquals(2, server.process().exitValue(), server.logTail());
            List<String> errors = server.logTail().lines().filter(line -> line.contains("ERROR")).toList();
            assertEquals(1, errors.size(), server.logTail());
            assertTrue(errors.get(0).endsWith(" - " + sentence), server.logTail());
            assertFalse(server.logTail().contains("\tat "), "no stack trace: " + server.logTail());
        } finally {
            server.process().destroyForcibly();
        }
    }
}
