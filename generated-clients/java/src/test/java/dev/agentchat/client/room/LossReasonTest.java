package dev.agentchat.client.room;

import dev.agentchat.client.ApiException;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A loss is told in words a person reads, whichever transport met it: no Java class names. */
class LossReasonTest {
    @Test
    void aConnectionClosedBeforeItsAnswerIsConnectionClosed() {
        ApiException polled = new ApiException(new IOException("HTTP/1.1 header parser received no bytes"));
        assertEquals("connection closed", RoomStream.describe(polled));
        assertEquals("connection closed", RoomStream.describe(new IOException("read", new EOFException())));
    }

    @Test
    void refusedUnknownAndSlowConnectionsSaySo() {
        assertEquals("connection refused", RoomStream.describe(new ApiException(new ConnectException())));
        assertEquals("unknown host nowhere.invalid", RoomStream.describe(new ApiException(new UnknownHostException("nowhere.invalid"))));
        // how Java's HTTP client says a name that does not resolve
        Throwable unresolved = new ConnectException().initCause(new UnresolvedAddressException());
        assertEquals("unknown host", RoomStream.describe(new ApiException(unresolved)));
        assertEquals("timed out", RoomStream.describe(new ApiException(new HttpTimeoutException("request timed out"))));
    }

    @Test
    void anyOtherFaultIsItsDeepestCausesOwnWords() {
        assertEquals("Connection reset", RoomStream.describe(new ApiException(new IOException("java.net.SocketException: Connection reset",
            new java.net.SocketException("Connection reset")))));
        assertEquals("broken pipe", RoomStream.describe(new IOException("java.io.IOException: broken pipe")));
    }
}
