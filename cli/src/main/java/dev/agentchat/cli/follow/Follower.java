package dev.agentchat.cli.follow;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentchat.cli.client.Checkpoint;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.PollResult;
import io.micronaut.core.annotation.Nullable;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Follows a room for {@code listen} and {@code join}: Server-Sent Events or long-poll, reconnecting
 * with backoff and resuming after the last message seen ({@code Last-Event-ID}), so nothing is lost
 * or printed twice. When the server was restarted (the message it resumes from is another one or
 * gone), it starts from the new room's beginning. Against the original server it polls by index.
 */
public final class Follower {
    /** How long the stream may stay silent before the connection is considered dead (keepalive is 15 s). */
    static final Duration STREAM_IDLE = Duration.ofSeconds(45);
    /** How long to wait for the stream's first line before deciding it is blocked. */
    static final Duration STREAM_OPEN = Duration.ofSeconds(10);
    static final Duration POLL_WAIT = Duration.ofSeconds(25);

    private final RoomClient client;
    private final Transport transport;
    @Nullable
    private final String agent;
    @Nullable
    private final String forName;
    private final PrintWriter notices;
    private final Backoff backoff;

    /**
     * @param agent   who listens, for presence (may be null)
     * @param forName only messages concerning this name (may be null)
     * @param notices where connection notices go (stderr)
     */
    public Follower(RoomClient client, Transport transport, @Nullable String agent, @Nullable String forName,
                    PrintWriter notices, Backoff backoff) {
        this.client = client;
        this.transport = transport;
        this.agent = agent;
        this.forName = forName;
        this.notices = notices;
        this.backoff = backoff;
    }

    /**
     * Delivers every message after {@code from} to {@code sink} until the sink returns false.
     * A failure before the first connection (wrong password, unreachable) is thrown; later ones are retried.
     */
    public void follow(Checkpoint from, Predicate<Message> sink) throws InterruptedException {
        if (client.legacy()) {
            followLegacy(from.after(), sink);
            return;
        }
        State state = new State(from, sink);
        Transport mode = transport == Transport.POLL ? Transport.POLL : Transport.SSE;
        while (true) {
            try {
                if (mode == Transport.POLL) {
                    pollSession(state);
                } else if (!streamSession(state)) {
                    if (transport == Transport.AUTO) {
                        notice("⚠️ Streaming unavailable (" + state.refusal + "); using long-poll");
                        mode = Transport.POLL;
                        continue;
                    }
                    if (!state.connected) {
                        throw new RoomException(RoomException.Kind.PROTOCOL, 0,
                            "Cannot stream from " + client.address() + ": " + state.refusal);
                    }
                    state.lost(state.refusal);
                }
            } catch (RoomException e) {
                if (!state.connected || e.kind() == RoomException.Kind.INVALID_PASSWORD) {
                    throw e;
                }
                state.lost(e.getMessage());
            }
            if (state.stopped) {
                return;
            }
            state.lost("connection closed");
            Thread.sleep(backoff.next().toMillis());
            try {
                state.position = client.verify(state.position);
            } catch (RoomException e) {
                // still down: the next attempt fails the same way and we come back here
            }
        }
    }

    /** One stream connection until it ends; false when the server answered but gave no event stream. */
    private boolean streamSession(State state) throws InterruptedException {
        long after = state.position.after();
        try (SseConnection connection = SseConnection.open(client, after, state.connected && after > 0, agent, forName)) {
            if (!connection.awaitOpen(client, STREAM_OPEN)) {
                state.refusal = connection.refusal();
                return false;
            }
            state.connectedNow();
            SseEvent event;
            while ((event = connection.next(STREAM_IDLE)) != null) {
                if (SseEvent.TRUNCATED.equals(event.event())) {
                    notice("⚠️ Some messages were dropped from the room's history before they could be replayed");
                } else if (SseEvent.MESSAGE.equals(event.event()) && !state.deliver(parse(event.data()))) {
                    return true;
                }
            }
            return true;
        }
    }

    /** Long-polls until the sink is satisfied; a failure is thrown to the caller's retry loop. */
    private void pollSession(State state) {
        while (!state.stopped) {
            PollResult result = client.poll(state.position.after(), POLL_WAIT, agent, forName);
            state.connectedNow();
            long next = result.getNext();
            if (next < state.position.after()) {
                state.position = Checkpoint.START; // a restarted server sent everything it has
            }
            for (Message message : result.getMessages()) {
                if (!state.deliver(message)) {
                    return;
                }
            }
            if (next > state.position.after()) {
                state.position = Checkpoint.at(next); // messages filtered out by ?for=
            }
        }
    }

    /** The original server: poll by index every 0.5 s, slowing to 3 s when idle, like its own client. */
    private void followLegacy(long index, Predicate<Message> sink) throws InterruptedException {
        long interval = 500;
        boolean connected = false;
        boolean lost = false;
        while (true) {
            try {
                PollResult result = client.poll(index, null, agent, null);
                connected = true;
                if (lost) {
                    notice("🔄 Reconnected");
                    lost = false;
                }
                if (result.getNext() < index) {
                    index = 0; // a restarted server: its messages are all new
                    continue;
                }
                for (Message message : result.getMessages()) {
                    if ((forName == null || MentionFilter.concerns(message, forName)) && !sink.test(message)) {
                        return;
                    }
                }
                index = result.getNext();
                interval = result.getMessages().isEmpty() ? Math.min(interval + 200, 3000) : 500;
            } catch (RoomException e) {
                if (!connected || e.kind() == RoomException.Kind.INVALID_PASSWORD) {
                    throw e;
                }
                if (!lost) {
                    notice("⚠️ " + e.getMessage() + "; retrying");
                    lost = true;
                }
                interval = 3000;
            }
            Thread.sleep(interval);
        }
    }

    private Message parse(String data) {
        try {
            return client.mapper().readValue(data, Message.class);
        } catch (JsonProcessingException e) {
            throw new RoomException(RoomException.Kind.PROTOCOL, 0, "Unreadable event from the stream: " + data);
        }
    }

    void notice(String line) {
        notices.println(line);
        notices.flush();
    }

    /** Where a follow is, and whether it is connected or lost. */
    private final class State {
        private final Predicate<Message> sink;
        Checkpoint position;
        boolean connected;
        boolean stopped;
        boolean outage;
        String refusal = "";

        State(Checkpoint from, Predicate<Message> sink) {
            this.position = from;
            this.sink = sink;
        }

        void connectedNow() {
            if (outage) {
                notice("🔄 Reconnected");
                outage = false;
            }
            connected = true;
            backoff.reset();
        }

        void lost(String why) {
            if (!outage && connected) {
                notice("⚠️ Connection lost (" + why + "); reconnecting…");
                outage = true;
            }
        }

        /** Passes a message on unless it was seen already; false once the sink wants no more. */
        boolean deliver(Message message) {
            Long id = message.getId();
            if (id != null && id <= position.after()) {
                return true;
            }
            if (id != null) {
                position = Checkpoint.of(message);
            }
            if (forName != null && !MentionFilter.concerns(message, forName)) {
                return true;
            }
            if (!sink.test(message)) {
                stopped = true;
                return false;
            }
            return true;
        }
    }
}
