package dev.agentchat.system;

import io.micronaut.context.ApplicationContext;
import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C (SIGINT) stop the server cleanly and exit with status 0: the JVM's own handling
 * would run the shutdown hooks but then report 143/130, which supervisors read as a crash.
 * Stopping the context fires the shutdown event ({@link ShutdownDrain} ends the streams) and then
 * closes the server. Should the stop hang, {@link StopDeadline} ends the process anyway.
 */
public final class SignalExit {
    private SignalExit() {
    }

    /** Installs the handlers for a running context; call once from the main thread after start. */
    public static void install(ApplicationContext context) {
        StopDeadline.prepare();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop(context));
            } catch (IllegalArgumentException unsupported) {
                // the platform does not have this signal (or the JVM reserves it): keep the default
            }
        }
    }

    private static void stop(ApplicationContext context) {
        StopDeadline.arm();
        Thread stopper = new Thread(() -> {
            try {
                if (context.isRunning()) {
                    context.stop();
                }
            } finally {
                System.exit(0);
            }
        }, "agent-chat-shutdown");
        stopper.start();
    }
}
