package dev.agentchat.client.room;

import dev.agentchat.client.ApiException;

/**
 * The stream is not available on the way to the server (a proxy refuses or buffers it) and the
 * follower may only stream ({@link RoomStream.Mode#STREAM_ONLY}); the status is 0 when the stream
 * answered nothing at all.
 */
public final class StreamUnavailableException extends ApiException {
    public StreamUnavailableException(int status, String why) {
        super(status, why);
    }
}
