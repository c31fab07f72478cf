package dev.agentchat.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An error that reaches an operator after its subscriber is done: a stopped executor's refusal is no error. */
class DroppedErrorsTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLog() {
        DroppedErrors.install();
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void release() {
        root.detachAppender(log);
    }

    @Test
    void aRefusalByAStoppedExecutorIsNotLoggedAsAnError() {
        Operators.onErrorDropped(new RejectedExecutionException("Scheduler unavailable"), Context.empty());
        assertEquals(List.of(), errors());
    }

    @Test
    void anyOtherDroppedErrorIsStillLoggedAsAnError() {
        Operators.onErrorDropped(new IllegalStateException("late"), Context.empty());
        assertEquals(List.of("An error arrived after its subscriber was done"), errors());
    }

    private List<String> errors() {
        return log.list.stream().filter(event -> event.getLevel() == Level.ERROR).map(ILoggingEvent::getMessage).toList();
    }
}
