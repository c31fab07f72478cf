package dev.agentchat.client.room;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * A call that got no answer, saying which and why: {@code POST http://localhost:8765/messages failed:
 * connection refused}. The generated APIs throw it as the cause of an {@code ApiException} with status 0,
 * whose message is then this one.
 */
public final class Unanswered extends IOException {

    private static final long serialVersionUID = 1L;

    private static final String UNKNOWN_HOST = "unknown host";

    Unanswered(HttpRequest request, IOException cause) {
        super(request.method() + " " + withoutQuery(request.uri()) + " failed: " + why(cause, request.uri().getHost()), cause);
    }

    /** Its message alone: an exception built on this one ({@code new ApiException(cause)}) takes this as its message. */
    @Override
    public String toString() {
        return getMessage();
    }

    /**
     * Why a request got no answer, as a person reads it: "unknown host" (Java's HTTP client says so by a
     * {@code ConnectException} over an {@code UnresolvedAddressException}), "connection refused",
     * "timed out" (Java's HTTP client's timeout or a socket's), "connection closed" (the server or
     * something between closed it before answering), else the deepest cause's own words, without
     * Java's class names. The CLI's plain sockets say theirs in the same words.
     *
     * @param host the host asked for, named after "unknown host"; null: the one the cause names, if any
     */
    public static String why(Throwable cause, String host) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                String name = host != null ? host : t.getMessage();
                return name == null ? UNKNOWN_HOST : UNKNOWN_HOST + " " + name;
            }
        }
        Throwable deepest = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof java.io.EOFException || t.getMessage() != null && t.getMessage().contains("received no bytes")) {
                return "connection closed";
            }
            deepest = t;
        }
        String message = deepest.getMessage();
        return message == null || message.isBlank() ? deepest.getClass().getSimpleName()
            : message.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
    }

    private static String withoutQuery(URI uri) {
        String url = uri.toString();
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
