package dev.agentchat.room;

/** A subscriber stopped reading and its buffer filled up; it is cut off and may resume by id. */
public final class SlowSubscriberException extends RuntimeException {
    public SlowSubscriberException() {
        super("subscriber buffer full", null, false, false);
    }
}
