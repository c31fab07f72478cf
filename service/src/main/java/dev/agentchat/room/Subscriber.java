package dev.agentchat.room;

/**
 * One follower of a room on this instance: its bounded buffer of messages and how it ended. The room
 * offers messages (one delivering thread at a time); the follower's reader polls them (one at a time)
 * and is woken after each change, so it can run wherever it writes, without a queue of its own.
 */
public final class Subscriber {
    private final SubscriberBuffer<ChatMessage> buffer;
    private final Runnable wake;
    private volatile long skipThrough = Long.MIN_VALUE;
    private volatile boolean cutOff;
    private volatile boolean complete;

    /**
     * How far a follower may fall behind before it is cut off: so many messages, and so many bytes of
     * them (counted as {@link #weight} counts them). The first message waiting is always taken.
     */
    public record Limit(int messages, long bytes) {
    }

    /**
     * @param limit how much may wait for the reader before it is cut off
     * @param wake  called after each message offered and when the feed ends; must not block
     */
    public Subscriber(Limit limit, Runnable wake) {
        this.buffer = new SubscriberBuffer<>(limit.messages(), limit.bytes(), Subscriber::weight);
        this.wake = wake;
    }

    /**
     * What a waiting message holds, without reading it through: its text and its JSON, at two bytes a
     * character. (Its shared frame is about its JSON again, held as long as any follower waits for it.)
     */
    static long weight(ChatMessage message) {
        return 2L * (message.text().length() + message.json().length());
    }

    /** Offers a message without blocking; false when the buffer is full. */
    boolean offer(ChatMessage message) {
        if (!buffer.offer(message)) {
            return false;
        }
        wake.run();
        return true;
    }

    /** Messages up to this id reach the follower by its replay: live deliveries of them are dropped. */
    void skipThrough(long id) {
        skipThrough = id;
    }

    /** Ends the feed ahead of what is buffered (a stalled reader would never get there). */
    void cutOff() {
        cutOff = true;
        wake.run();
    }

    /** Ends the feed normally, after what is buffered. */
    void complete() {
        complete = true;
        wake.run();
    }

    /** The next message for the reader, or null when none is waiting. */
    public ChatMessage poll() {
        for (ChatMessage message = buffer.poll(); message != null; message = buffer.poll()) {
            if (message.id() > skipThrough) {
                return message;
            }
        }
        return null;
    }

    /** True once the follower fell a full buffer behind: it should end with {@link SlowSubscriberException}. */
    public boolean isCutOff() {
        return cutOff;
    }

    /** True once the room ended the feed and the reader has polled everything before that end. */
    public boolean isComplete() {
        return complete && buffer.isEmpty();
    }
}
