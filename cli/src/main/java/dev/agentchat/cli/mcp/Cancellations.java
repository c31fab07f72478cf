package dev.agentchat.cli.mcp;

import io.micronaut.core.annotation.Nullable;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The tool calls the host has cancelled ({@code notifications/cancelled}: the person pressed Escape,
 * or the host gave up waiting), as {@link StdioTraffic} sees them go by. Each call carries its own
 * JSON-RPC id in its {@code _meta} ({@link #META}, put there by StdioTraffic), by which it asks: a
 * cancelled wait ends without marking read the messages it found.
 */
final class Cancellations {
    /** The key of a call's own id in its {@code _meta}. */
    static final String META = "dev.agentchat/request-id";
    /** The most cancellations kept for calls that have not asked (yet, or ever): the newest. */
    private static final int KEPT = 256;

    private final Set<String> cancelled = new LinkedHashSet<>();

    synchronized void cancel(String requestId) {
        cancelled.add(requestId);
        Iterator<String> oldest = cancelled.iterator();
        while (cancelled.size() > KEPT) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Whether the call whose {@code _meta} this is was cancelled. */
    synchronized boolean cancelled(@Nullable Map<String, Object> meta) {
        return meta != null && meta.get(META) instanceof String id && cancelled.contains(id);
    }

    /** The call whose {@code _meta} this is has ended: its cancellation, if any, is not needed any more. */
    synchronized void done(@Nullable Map<String, Object> meta) {
        if (meta != null && meta.get(META) instanceof String id) {
            cancelled.remove(id);
        }
    }
}
