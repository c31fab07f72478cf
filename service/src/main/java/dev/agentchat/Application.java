package dev.agentchat;

import io.micronaut.runtime.Micronaut;

/** Runs the service on its own (the CLI's {@code serve} is the usual way). */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
