package dev.agentchat.client.room;

import dev.agentchat.client.model.Message;
import dev.agentchat.client.testkit.FollowConformance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** The Java {@link RoomStream} against the follow contract (docs/following.md). */
class RoomStreamConformanceTest extends FollowConformance {

    @Override
    protected Follower follow(String url, String password) {
        return follower(url, password, 0);
    }

    /** A RoomStream with the suite's timeouts, following after {@code after} (-1: live). */
    static Follower follower(String url, String password, long after) {
        return follower(RoomStream.builder(Rooms.connect(url, password)).after(after));
    }

    /** A follower started from {@code builder}, with the suite's timeouts. */
    static Follower follower(RoomStream.Builder builder) {
        List<String> texts = new CopyOnWriteArrayList<>();
        String[] error = new String[1];
        AtomicBoolean lost = new AtomicBoolean();
        AtomicBoolean restarted = new AtomicBoolean();
        List<String> truncations = new CopyOnWriteArrayList<>();
        RoomStream stream = builder
            .silenceTimeout(SILENCE)
            .openTimeout(OPEN_TIMEOUT)
            .streamRetry(STREAM_RETRY)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .onMessage((Message m) -> texts.add(m.getText()))
            .onError(e -> error[0] = e.getCode() + " " + e.getMessage())
            .listener(new RoomStream.Listener() {
                @Override
                public void lost(String why) {
                    lost.set(true);
                }

                @Override
                public void restarted() {
                    restarted.set(true);
                }

                @Override
                public void truncated(long requested, long oldest) {
                    truncations.add(requested + " " + oldest);
                }
            })
            .start();
        return new Follower() {
            @Override
            public List<String> texts() {
                return List.copyOf(texts);
            }

            @Override
            public String error() {
                return error[0];
            }

            @Override
            public boolean reportedALoss() {
                return lost.get();
            }

            @Override
            public boolean reportedARestart() {
                return restarted.get();
            }

            @Override
            public List<String> truncations() {
                return List.copyOf(truncations);
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }
}
