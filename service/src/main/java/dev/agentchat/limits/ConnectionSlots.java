package dev.agentchat.limits;

import dev.agentchat.error.ApiError;
import dev.agentchat.transport.OneShotSignal;
import com.sun.management.UnixOperatingSystemMXBean;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import reactor.core.Disposable;

import java.lang.management.ManagementFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the open connections, those that stay open for long (streams, waiting long-polls) and the
 * open MCP sessions per client address and in all, and refuses new ones above the caps (streams,
 * polls and sessions also once the server is shutting down).
 */
@Singleton
public class ConnectionSlots {
    /** Descriptors kept for what the server opens itself (its jar, Redis, logs) when connections reach the process's limit. */
    static final int DESCRIPTORS_KEPT = 256;

    private final Pool connections;
    private final Pool streams;
    private final Pool polls;
    private final Pool mcpSessions;
    private final ClientAddresses addresses;
    private final boolean exemptLoopback;
    private final OneShotSignal closingSignal = new OneShotSignal();
    private volatile boolean closing;

    public ConnectionSlots(LimitSettings settings, ClientAddresses addresses) {
        this.connections = new Pool(settings.connectionsPerAddress(),
            (int) Math.min(settings.connectionsTotal(), openFileLimit() - DESCRIPTORS_KEPT), ApiError.TOO_MANY_CONNECTIONS);
        this.streams = new Pool(settings.streamsPerAddress(), settings.streamsTotal(), ApiError.TOO_MANY_STREAMS);
        this.polls = new Pool(settings.pollsPerAddress(), settings.pollsTotal(), ApiError.TOO_MANY_POLLS);
        this.mcpSessions = new Pool(settings.mcpSessionsPerAddress(), settings.mcpSessionsTotal(), ApiError.TOO_MANY_MCP_SESSIONS);
        this.addresses = addresses;
        this.exemptLoopback = settings.exemptLoopback();
    }

    /** A held connection; closing it (once or more) gives the slot back. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A slot for a connection just opened by {@code peer} ({@link ClientAddresses#peer}), held until it
     * closes; refused above the caps, so that no address (nor all of them) holds every descriptor the
     * process may open.
     */
    public Slot openConnection(String peer) {
        // a proxy on this machine (a tunnel) opens the connections of every client behind it
        return connections.acquire(addresses.proxy(peer) ? null : peer, false);
    }

    /** The process's open-file limit, as far as the JVM tells it (it raises it to the hard limit itself). */
    private static long openFileLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
            ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** A slot for a stream opened by the current request. */
    public Slot openStream() {
        return streams.acquire(addresses.current(), true);
    }

    /** A slot for a long-poll of the current request that may wait. */
    public Slot startPoll() {
        return polls.acquire(addresses.current(), true);
    }

    /** A slot for an MCP session started by the current request, held until the session ends. */
    public Slot startMcpSession() {
        return mcpSessions.acquire(addresses.current(), true);
    }

    /** From now on every new stream or long-poll (and every new request: web/RequestHeads) is refused with {@code shutting_down}. */
    public void refuseNew() {
        closing = true;
        closingSignal.fire();
    }

    /**
     * Runs {@code wake} when the server starts shutting down (at once if it has), so that waiting
     * long-polls answer at once; disposing the answer lets go of it.
     */
    public Disposable whenClosing(Runnable wake) {
        return closingSignal.whenFired(wake);
    }

    /** Whether the server is shutting down. */
    public boolean closing() {
        return closing;
    }

    public int openStreams() {
        return streams.inUse.get();
    }

    public int waitingPolls() {
        return polls.inUse.get();
    }

    private final class Pool {
        private final int perAddress;
        private final int total;
        private final ApiError perAddressError;
        private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
        private final AtomicInteger inUse = new AtomicInteger();

        Pool(int perAddress, int total, ApiError perAddressError) {
            this.perAddress = perAddress;
            this.total = total;
            this.perAddressError = perAddressError;
        }

        /**
         * A slot for {@code address} (null: counted in all only); {@code notWhenClosing}: refused
         * {@code shutting_down} once the server stops.
         */
        Slot acquire(@Nullable String address, boolean notWhenClosing) {
            if (notWhenClosing && closing) {
                throw ApiError.SHUTTING_DOWN.exception();
            }
            if (inUse.incrementAndGet() > total) {
                inUse.decrementAndGet();
                throw ApiError.SERVER_FULL.limit(total, 5L);
            }
            if (address == null || exemptLoopback && ClientAddresses.isLoopback(address)) {
                return release(null);
            }
            boolean[] admitted = new boolean[1];
            byAddress.compute(address, (k, count) -> {
                AtomicInteger c = count == null ? new AtomicInteger() : count;
                admitted[0] = c.get() < perAddress;
                if (admitted[0]) {
                    c.incrementAndGet();
                }
                return c.get() == 0 ? null : c;
            });
            if (!admitted[0]) {
                inUse.decrementAndGet();
                throw perAddressError.limit(perAddress, 5L);
            }
            return release(address);
        }

        /** The slot's release, once only; {@code address} null when it was not counted per address. */
        private Slot release(String address) {
            AtomicBoolean released = new AtomicBoolean();
            return () -> {
                if (released.compareAndSet(false, true)) {
                    if (address != null) {
                        byAddress.computeIfPresent(address, (k, c) -> c.decrementAndGet() == 0 ? null : c);
                    }
                    inUse.decrementAndGet();
                }
            };
        }
    }
}
