package dev.agentchat;

import dev.agentchat.system.SignalExit;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

/** Runs the service on its own (the CLI's {@code serve} is the usual way). */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = Micronaut.run(Application.class, args);
        SignalExit.install(context);
    }
}
