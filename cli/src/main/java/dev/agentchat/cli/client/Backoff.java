package dev.agentchat.cli.client;


import java.time.Duration;

/** Reconnect delays: doubling from {@code first} up to {@code max}, back to {@code first} after a success. */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8));
    }

    /** The delay before the next attempt. */
    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    public void reset() {
        next = first;
    }
}
