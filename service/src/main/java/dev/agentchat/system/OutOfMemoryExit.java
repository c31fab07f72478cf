package dev.agentchat.system;

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
 * which catches the errors that code catches itself. {@link dev.agentchat.memory.HeapGuard} keeps
 * the heap from filling in the first place.
 */
@Context
@Produces
@Requires(classes = ExceptionHandler.class)
public class OutOfMemoryExit implements ExceptionHandler<OutOfMemoryError, HttpResponse<?>> {
    static final int STATUS = 3;

    public OutOfMemoryExit() {
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
        Runtime.getRuntime().halt(STATUS);
    }
}
