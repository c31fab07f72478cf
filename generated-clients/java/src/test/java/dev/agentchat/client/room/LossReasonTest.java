package dev.agentchat.client.room;

import dev.agentchat.client.ApiException;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A loss is told in words a person reads, whichever transport met it: no Java class names. */
class LossReasonTest {
    @Test
    void aConnectionClosedBeforeItsAnswerIsConnectionClosed() {
        ApiException polled = new ApiException(new IOException("HTTP/1.1 header parser received no bytes"));
        assertEquals("connection closed", Unanswered.why(polled, null));
        assertEquals("connection closed", Unanswered.why(new IOException("read", new EOFException()), null));
    }

    @Test
    void refusedUnknownAndSlowConnectionsSaySo() {
        assertEquals("connection refused", Unanswered.why(new ApiException(new ConnectException()), null));
        assertEquals("unknown host nowhere.invalid", Unanswered.why(new ApiException(new UnknownHostException("nowhere.invalid")), null));
        // how Java's HTTP client says a name that does not resolve
        Throwable unresolved = new ConnectException().initCause(new UnresolvedAddressException());
        assertEquals("unknown host", Unanswered.why(new ApiException(unresolved), null));
        assertEquals("timed out", Unanswered.why(new ApiException(new HttpTimeoutException("request timed out")), null));
        assertEquals("timed out", Unanswered.why(new SocketTimeoutException("Connect timed out"), "example.org"));
    }

    @Test
    void anyOtherFaultIsItsDeepestCausesOwnWords() {
        assertEquals("Connection reset", Unanswered.why(new ApiException(new IOException("java.net.SocketException: Connection reset",
            new java.net.SocketException("Connection reset"))), null));
        assertEquals("broken pipe", Unanswered.why(new IOException("java.io.IOException: broken pipe"), null));
    }
}
