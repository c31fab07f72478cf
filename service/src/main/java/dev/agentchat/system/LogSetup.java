package dev.agentchat.system;

import ch.qos.logback.classic.Level;
import dev.agentchat.settings.Redaction;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The service's logging, set up in code (found through {@code META-INF/services}) instead of from a
 * {@code logback.xml}, whose parsing loads an XML parser and some 600 classes at every start of
 * {@code serve}. Warnings and errors go to standard error, one line each. With
 * {@code -Dlogback.configurationFile=FILE} logback reads that file instead.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    /**
     * The room password can travel in URLs ({@code ?password=...}) and Redis's in the Redis URL: both
     * are masked in every message and stack trace, so that no log line gives them away.
     */
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - "
        + "%replace(%replace(%msg%n%ex){'" + Redaction.NAMED_PASSWORD + "','" + Redaction.NAMED_HIDDEN + "'})"
        + "{'" + Redaction.URL_PASSWORD + "','" + Redaction.HIDDEN + "'}%nopex";
    /**
     * A stream that errors after its first bytes is one we cut off on purpose (a stalled reader);
     * Netty closes the connection, which is all there is to do.
     */
    private static final String CUT_OFF_STREAMS = "io.micronaut.http.server.netty.handler.PipeliningServerHandler";
    /**
     * Redis's client logs each failed reconnect (with a stack trace when Redis refuses the credentials);
     * the service says once that Redis is unreachable or refusing, and once that it is back.
     */
    private static final String REDIS_RECONNECTS = "io.lettuce.core.protocol.ConnectionWatchdog";
    /** Where the service says how its Redis is: connected, unreachable, not answering, back. */
    private static final String REDIS_STATE = "dev.agentchat.redis.RedisConnections";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger(CUT_OFF_STREAMS).setLevel(Level.ERROR);
        context.getLogger(REDIS_RECONNECTS).setLevel(Level.ERROR);
        context.getLogger(REDIS_STATE).setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
