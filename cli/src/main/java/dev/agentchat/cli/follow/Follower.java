package dev.agentchat.cli.follow;

import dev.agentchat.cli.client.MentionFilter;

import dev.agentchat.cli.client.Checkpoint;
import dev.agentchat.cli.client.Inbox;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.PollResult;
import dev.agentchat.client.room.RoomStream;
import dev.agentchat.client.room.StreamUnavailableException;
import io.micronaut.core.annotation.Nullable;

import java.io.PrintWriter;
import java.util.function.Predicate;

/**
 * Follows a room for {@code listen} and {@code join} with the Java client's {@link RoomStream}, which
 * keeps the follow contract of {@code docs/following.md} (stream, long-poll fallback and back, silence,
 * resume by id, restart detection); this class turns what happens into the CLI's notices on stderr.
 * Against the original server (no ids, no stream of ours) it polls by index like the original client.
 */
public final class Follower {
    private final RoomClient client;
    private final Transport transport;
    @Nullable
    private final String agent;
    @Nullable
    private final String forName;
    private final PrintWriter notices;
    private final FollowTimeouts timeouts;
    /** The last message delivered (where following resumes), or where following started. */
    private Checkpoint seen = Checkpoint.START;
    /** Told when the room turns out restarted, after the notice on stderr. */
    private Runnable onRestart = () -> { };

    /**
     * @param agent   who listens, for presence (may be null)
     * @param forName only messages concerning this name (may be null)
     * @param notices where connection notices go (stderr)
     */
    public Follower(RoomClient client, Transport transport, @Nullable String agent, @Nullable String forName,
                    PrintWriter notices, FollowTimeouts timeouts) {
        this.client = client;
        this.transport = transport;
        this.agent = agent;
        this.forName = forName;
        this.notices = notices;
        this.timeouts = timeouts;
    }

    /** Tells {@code onRestart} too when the room turns out restarted (its messages start again from #1). */
    public Follower onRestart(Runnable onRestart) {
        this.onRestart = onRestart;
        return this;
    }

    /**
     * Delivers every message after {@code from} to {@code sink} until the sink returns false.
     * A wrong password, an unreachable server at the start, or (with {@code --transport sse}) a
     * blocked stream is thrown; every later loss, even one before the stream first opens, is told
     * on {@code notices} and retried. A name's token the room no longer takes
     * (a restarted server knows none) is replaced by claiming the name again, then following resumes.
     */
    public void follow(Checkpoint from, Predicate<Message> sink) throws InterruptedException {
        if (client.legacy()) {
            followLegacy(from.after(), sink);
            return;
        }
        seen = from;
        Notices notices = new Notices();
        while (true) {
            try {
                stream(sink, notices);
                break;
            } catch (RoomException refused) {
                if (!client.claimAgain(refused)) {
                    throw refused;
                }
                resumeWithNewToken(notices);
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Follows with one {@link RoomStream} from {@link #seen} until the sink is done or an error stops it. */
    private void stream(Predicate<Message> sink, Notices notices) {
        RoomStream.Builder builder = RoomStream.builder(client.api())
            .mode(switch (transport) {
                case AUTO -> RoomStream.Mode.AUTO;
                case SSE -> RoomStream.Mode.STREAM_ONLY;
                case POLL -> RoomStream.Mode.LONG_POLL_ONLY;
            })
            .openTimeout(timeouts.open())
            .silenceTimeout(timeouts.silence())
            .streamRetry(timeouts.streamRetry())
            // client.legacy() has reached the room: a server gone before the stream opens is a loss to tell
            .reachedBefore()
            .listener(notices);
        if (seen.timestamp() != null) {
            builder.after(new Message().id(seen.after()).timestamp(seen.timestamp()));
        } else {
            builder.after(seen.after());
        }
        if (agent != null) {
            builder.agent(agent);
        }
        if (forName != null) {
            builder.forName(forName);
        }
        RoomStream[] stream = new RoomStream[1];
        builder.onMessage(message -> {
            seen = Checkpoint.of(message);
            if (!sink.test(message)) {
                stream[0].close();
            }
        });
        try {
            builder.follow(created -> stream[0] = created);
        } catch (StreamUnavailableException e) {
            throw new RoomException(RoomException.Kind.PROTOCOL, 0, "Cannot stream from " + client.address() + ": " + e.getMessage());
        } catch (ApiException e) {
            throw client.explain(e);
        }
    }

    /**
     * The name was claimed again after its token was refused. The refusal came before the stream
     * could check for a restart (the usual cause), so the check is made here, as the stream makes it.
     */
    private void resumeWithNewToken(Notices notices) {
        Checkpoint resume = seen;
        try {
            resume = client.verify(seen);
        } catch (RoomException e) {
            if (e.kind() != RoomException.Kind.UNREACHABLE) {
                throw e;
            }
            // still unreachable: resume anyway, as the stream does
        }
        if (resume != seen) {
            notices.restarted();
        }
        notices.reconnectedAfterLoss();
    }

    /** The original server: poll by index every 0.5 s, slowing to 3 s when idle, like its own client. */
    private void followLegacy(long index, Predicate<Message> sink) throws InterruptedException {
        long interval = 500;
        boolean lost = false;
        while (true) {
            try {
                PollResult result = client.poll(index, null, agent, null);
                if (lost) {
                    notice(Inbox.RECONNECTED);
                    lost = false;
                }
                if (result.getNext() < index) {
                    index = 0; // a restarted server: its messages are all new
                    restarted();
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
                // client.legacy() reached the room already: a server gone since is a loss, as later
                if (e.kind() == RoomException.Kind.INVALID_PASSWORD) {
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

    private void restarted() {
        notice("🔄 The room was restarted; following it from its beginning");
        onRestart.run();
    }

    private void notice(String line) {
        notices.println(line);
        notices.flush();
    }

    /** The follow contract's happenings as the CLI's notices. */
    private final class Notices implements RoomStream.Listener {
        /** A loss was reported and no reconnection yet. */
        private boolean lost;

        @Override
        public void lost(String why) {
            lost = true;
            notice("⚠️ Connection lost (" + why + "); reconnecting…");
        }

        @Override
        public void reconnected() {
            lost = false;
            notice(Inbox.RECONNECTED);
        }

        /** A follower that had to claim its name again reconnects with a new stream, which does not know of the loss. */
        void reconnectedAfterLoss() {
            if (lost) {
                reconnected();
            }
        }

        @Override
        public void fellBack(String why) {
            notice("⚠️ Streaming unavailable (" + why + "); using long-poll");
        }

        @Override
        public void restarted() {
            seen = Checkpoint.START;
            Follower.this.restarted();
        }

        @Override
        public void truncated(long requested, long oldest) {
            notice("⚠️ Some messages were dropped from the room's history before they could be replayed");
        }
    }
}
