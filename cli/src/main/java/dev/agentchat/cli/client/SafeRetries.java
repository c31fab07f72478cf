package dev.agentchat.cli.client;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Tries a call again, with doubling pauses for at most a given time, when it is not known whether the
 * server acted on it: the answer did not come (timed out, connection closed) or said that the server
 * cannot serve now ({@code 503}, or a proxy's or tunnel's {@code 502} and {@code 504}). A connection
 * that could not be made (refused, unknown host) reached nobody: that is said at once. Only for calls
 * that are safe to repeat: a repeated send carries its {@code idempotency_key}.
 */
final class SafeRetries {
    private final Duration within;

    SafeRetries(Duration within) {
        this.within = within;
    }

    <T> T retry(Supplier<T> call) {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (RoomException e) {
                Duration pause = backoff.next();
                if (!passing(e) || System.nanoTime() + pause.toNanos() - deadline > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether the failure may pass: an answer lost or the server busy, not a refusal of the call nor nobody there. */
    private static boolean passing(RoomException e) {
        if (e.status() == 502 || e.status() == 504) {
            return true;
        }
        if (e.kind() != RoomException.Kind.UNREACHABLE) {
            return false;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof UnresolvedAddressException) {
                return false;
            }
        }
        return true;
    }
}
