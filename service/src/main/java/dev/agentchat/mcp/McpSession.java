package dev.agentchat.mcp;

import dev.agentchat.auth.Caller;
import dev.agentchat.hosting.HostedRoom;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.messages.ReadCursors;
import dev.agentchat.messages.UnreadMessages;
import io.micronaut.core.annotation.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One agent's MCP session in one room: issued at {@code initialize}, named by the
 * {@code Mcp-Session-Id} header after it, ended by {@code DELETE} or after the idle timeout.
 *
 * @param id        the session id, unguessable
 * @param room      the room's name
 * @param createdAt when the room was created: a room re-created under the same name does not inherit sessions
 * @param agent     the agent the session speaks and reads as; {@link #NOBODY} for an observer that gave no name
 * @param caller    who it acts as: the holder of {@code agent} (claimed at {@code initialize}, or the
 *                  client's own token), or an observer
 * @param token     the name's token when the session claimed the name itself (it leaves the name when
 *                  it ends), else the client's own token, else null
 * @param owned     whether the session claimed the name itself (or shares the claim of one that did)
 * @param address   the client address that opened it
 * @param client    the MCP client's name from its {@code initialize} ("" when it gave none): only the same
 *                  client from the same address shares a claim (a reconnect), not another program there
 * @param slot      its place under the session caps
 * @param activity  when it was last used
 * @param waits     where its {@code wait_for_messages} keeps its place until the agent first reads
 * @param calls     its calls that are running, which the client may cancel
 * @param observed  an observer's read cursors, kept by the session (an observer moves nobody's cursor
 *                  in the room, as on the API); null for a session that reads as its name
 */
record McpSession(String id, String room, long createdAt, String agent, Caller caller, @Nullable String token,
                  boolean owned, String address, String client, ConnectionSlots.Slot slot, Activity activity,
                  WaitPlaces waits, Calls calls, @Nullable ReadCursors observed) {

    /** The name of an observer's session opened without one: it reads as nobody. */
    static final String NOBODY = "";

    /** Whether the session has a name: every one but an observer's opened without {@code X-Agent-Name}. */
    boolean named() {
        return !agent.equals(NOBODY);
    }

    boolean belongsTo(HostedRoom hosted) {
        return room.equals(hosted.name()) && createdAt == hosted.createdAt();
    }

    /** Whether the session reads as its agent: it shows the agent online and moves the room's cursor of that name. */
    boolean present() {
        return observed == null;
    }

    /** Where the session's reads keep what it has read: the room's cursors, or an observer's own. */
    ReadCursors cursors(HostedRoom hosted) {
        return observed == null ? hosted.cursors() : observed;
    }

    /**
     * When the session was last used, and how many of its calls are running (a running call keeps it alive).
     * Uses are also numbered in the order they happen, so two sessions used within one millisecond still
     * tell which was used last.
     */
    static final class Activity {
        private static final AtomicLong USES = new AtomicLong();
        private long lastUsed;
        private long lastUse;
        private int running;

        Activity(long now) {
            used(now);
        }

        synchronized void begin(long now) {
            running++;
            used(now);
        }

        synchronized void end(long now) {
            running = Math.max(0, running - 1);
            used(now);
        }

        private void used(long now) {
            lastUsed = now;
            lastUse = USES.incrementAndGet();
        }

        synchronized boolean idleSince(long cutoff) {
            return running == 0 && lastUsed < cutoff;
        }

        /** The number of its last use, while none of its calls runs (lower is quieter); {@code Long.MAX_VALUE} while one does. */
        synchronized long lastQuietUse() {
            return running == 0 ? lastUse : Long.MAX_VALUE;
        }
    }

    /**
     * The session's calls that are running, by their JSON-RPC id, so that the client can cancel one
     * ({@code notifications/cancelled}, which hosts also send when they give up waiting): a cancelled
     * call ends without an answer, and a cancelled wait before it marks anything read, so the messages
     * it would have returned stay unread for the next read.
     */
    static final class Calls {
        private final Map<String, Sinks.One<Boolean>> running = new ConcurrentHashMap<>();

        /** {@code call}, ended with no answer if the client cancels the request {@code id} first. */
        <T> Mono<T> cancellable(Object id, Mono<T> call) {
            String key = String.valueOf(id);
            Sinks.One<Boolean> cancelled = Sinks.one();
            return Mono.defer(() -> {
                running.put(key, cancelled);
                return call.takeUntilOther(cancelled.asMono());
            }).doFinally(signal -> running.remove(key, cancelled));
        }

        /** Cancels the running call with this id, if there is one. */
        void cancel(@Nullable Object id) {
            Sinks.One<Boolean> cancelled = running.get(String.valueOf(id));
            if (cancelled != null) {
                cancelled.tryEmitValue(true);
            }
        }
    }

    /**
     * Where the session's waits keep their place while the agent has no cursor, one for all messages
     * and one for {@code mentions_only} ({@link UnreadMessages.Place}): a first wait marks nothing read.
     */
    static final class WaitPlaces {
        private final Place all = new Place();
        private final Place mentions = new Place();

        UnreadMessages.Place of(boolean mentionsOnly) {
            return mentionsOnly ? mentions : all;
        }

        private static final class Place implements UnreadMessages.Place {
            private final AtomicLong after = new AtomicLong(-1);

            @Override
            public OptionalLong get() {
                long id = after.get();
                return id < 0 ? OptionalLong.empty() : OptionalLong.of(id);
            }

            @Override
            public void set(long id) {
                after.set(id);
            }
        }
    }
}
