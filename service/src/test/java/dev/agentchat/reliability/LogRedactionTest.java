package dev.agentchat.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's logging configuration masks the room password in messages and stack traces. */
class LogRedactionTest {

    @Test
    void passwordInALoggedUrlOrExceptionIsMasked() {
        String line = logged(Level.ERROR, "GET /messages/stream?agent=a&password=s3cret&after=1 failed",
            new IllegalStateException("while reading /?PASSWORD=s3cret2 with X-Room-Password: s3cret3"));

        assertFalse(line.contains("s3cret"), line);
        assertTrue(line.contains("password=***&after=1"), line);
        assertTrue(line.contains("IllegalStateException"), line);
        assertTrue(line.contains("at dev.agentchat"), "stack trace kept: " + line);
    }

    @Test
    void aPasswordWithACommaOrSemicolonIsMaskedWhole() {
        String line = logged(Level.WARN, "refused #password=s3c,ret;tail and X-Room-Password: p;a,ss \"quoted\"", null);

        assertFalse(line.contains("ret") || line.contains("tail") || line.contains("a,ss"), line);
        assertTrue(line.contains("#password=*** and X-Room-Password: *** \"quoted\""), line);
    }

    @Test
    void passwordInALoggedRedisUrlIsMasked() {
        String line = logged(Level.WARN, "Cannot use redis://:s3cret@10.0.0.5:6379 nor rediss://ops:s3cret2@cache:6380/0", null);

        assertFalse(line.contains("s3cret"), line);
        assertTrue(line.contains("redis://:***@10.0.0.5:6379 nor rediss://ops:***@cache:6380/0"), line);
    }

    /** The line the service's own log configuration (its standard error appender) writes for the event. */
    @SuppressWarnings("unchecked")
    private String logged(Level level, String message, Throwable thrown) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        LoggingEvent event = new LoggingEvent(getClass().getName(), root, level, message, thrown, null);
        return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
