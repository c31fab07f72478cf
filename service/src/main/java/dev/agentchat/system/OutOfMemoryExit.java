package dev.agentchat.system;

import dev.agentchat.error.OutOfMemoryHalt;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;

/**
 * An OutOfMemoryError leaves a process that may neither serve nor stop (threads die half-way, locks
 * stay held), so the process exits at once instead, with status 3, for its supervisor to restart
 * it: from a request (this handler) or from any other thread (the default uncaught-exception
 * handler). The {@code agent-chat} launcher also starts the JVM with {@code -XX:+ExitOnOutOfMemoryError},
 * which catches the errors that code catches itself but not those Java code throws (direct memory that
 * cannot be reserved): the framework's error answers end the process for those
 * ({@link dev.agentchat.error.JsonErrorResponseProcessor}), as a connection's handlers do
 * ({@code web/AnswerBackpressure}). {@link dev.agentchat.memory.HeapGuard} keeps the heap from filling
 * in the first place, and answers go out a piece at a time as their clients read them.
 */
@Context
@Produces
@Requires(classes = ExceptionHandler.class)
public class OutOfMemoryExit implements ExceptionHandler<OutOfMemoryError, HttpResponse<?>> {
    static final int STATUS = OutOfMemoryHalt.STATUS;

    public OutOfMemoryExit() {
        OutOfMemoryHalt.prepare();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError) {
                exit();
            }
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                error.printStackTrace();
            }
        });
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, OutOfMemoryError error) {
        exit();
        return HttpResponse.serverError();
    }

    private static void exit() {
        OutOfMemoryHalt.now();
    }
}
