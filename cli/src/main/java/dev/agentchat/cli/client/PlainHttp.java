package dev.agentchat.cli.client;

import io.micronaut.core.annotation.Nullable;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request on a connection of its own ({@code Connection: close}), over a plain socket
 * (TLS for {@code https}). The non-streaming calls of a one-shot command need nothing more, and
 * {@code java.net.http}'s client costs a new process about a fifth of a second to start. No call
 * waits without a bound: the connection within {@code connectTimeout}, the status line and headers
 * within {@code timeout}, the body within another {@code timeout}; a body with neither
 * {@code Content-Length} nor chunks ends when the server closes the connection or at the first pause
 * of {@link #CLOSE_DELIMITED_PAUSE} (the original server answers errors that way and may keep the
 * connection open).
 */
final class PlainHttp {
    /** A close-delimited body is complete once no byte came for this long. */
    static final Duration CLOSE_DELIMITED_PAUSE = Duration.ofMillis(500);
    /** The longest status line or header line taken. */
    private static final int MAX_LINE = 64 * 1024;

    /** @param headers lower-case names, the first value of each */
    record Response(int status, Map<String, String> headers, String body) {
        @Nullable
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private PlainHttp() {
    }

    /**
     * @param target  the URL, path and query already encoded
     * @param body    JSON to send ({@code null}: none)
     * @param headers extra request headers (name, value, name, value ...)
     */
    static Response exchange(String method, URI target, @Nullable String body, Duration connectTimeout, Duration timeout,
                             String... headers) throws IOException {
        boolean tls = "https".equalsIgnoreCase(target.getScheme());
        String host = target.getHost();
        if (host == null) {
            throw new UnknownHostException(String.valueOf(target));
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = target.getPort() >= 0 ? target.getPort() : tls ? 443 : 80;
        InetSocketAddress address = new InetSocketAddress(bareHost, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(bareHost);
        }
        byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(256)
            .append(method).append(' ').append(target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath());
        if (target.getRawQuery() != null) {
            request.append('?').append(target.getRawQuery());
        }
        request.append(" HTTP/1.1\r\nHost: ").append(host);
        if (target.getPort() >= 0) {
            request.append(':').append(port);
        }
        request.append("\r\nConnection: close\r\nAccept: application/json\r\nUser-Agent: agent-chat\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headerValue(headers[i + 1])).append("\r\n");
        }
        if (payload != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
        } else if (method.equals("PUT") || method.equals("POST")) {
            request.append("Content-Length: 0\r\n"); // some proxies refuse such a request without one (411)
        }
        request.append("\r\n");

        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) Math.max(1, connectTimeout.toMillis()));
            if (tls) {
                socket = secure(socket, bareHost, port, timeout);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (payload != null) {
                out.write(payload);
            }
            out.flush();
            Reader in = new Reader(socket, System.nanoTime() + timeout.toNanos());
            int status;
            Map<String, String> responseHeaders;
            do { // 1xx answers come before the real one
                status = statusLine(in.line());
                responseHeaders = new HashMap<>();
                for (String line = in.line(); !line.isEmpty(); line = in.line()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        responseHeaders.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
            } while (status >= 100 && status < 200);
            in.deadline = System.nanoTime() + timeout.toNanos();
            byte[] content;
            String length = responseHeaders.get("content-length");
            String encoding = responseHeaders.get("transfer-encoding");
            if (method.equals("HEAD") || status == 204 || status == 304) {
                content = new byte[0];
            } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                content = in.chunked();
            } else if (length != null) {
                long n;
                try {
                    n = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    throw new IOException("invalid Content-Length: " + length);
                }
                if (n < 0 || n > Integer.MAX_VALUE - 8) {
                    throw new IOException("invalid Content-Length: " + length);
                }
                content = in.exactly((int) n);
            } else {
                content = in.untilClosedOrPause();
            }
            return new Response(status, responseHeaders, new String(content, StandardCharsets.UTF_8));
        } finally {
            socket.close();
        }
    }

    private static Socket secure(Socket plain, String host, int port, Duration timeout) throws IOException {
        SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        socket.startHandshake();
        return socket;
    }

    /** Refuses what would split the request: a header value with a line break or a character beyond Latin-1. */
    private static String headerValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c > 0xFF) {
                throw new IllegalArgumentException("invalid header value");
            }
        }
        return value;
    }

    private static int statusLine(String line) throws IOException {
        // HTTP/1.1 200 OK
        if (!line.startsWith("HTTP/") || line.indexOf(' ') < 0) {
            throw new IOException("not an HTTP response");
        }
        int start = line.indexOf(' ') + 1;
        int end = line.indexOf(' ', start);
        try {
            return Integer.parseInt(line.substring(start, end < 0 ? line.length() : end).trim());
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP response");
        }
    }

    /** Reads the answer, each read bounded by what is left of the deadline. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;
        long deadline;

        Reader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        /** Fills the buffer; false at the end of the stream. */
        private boolean fill(long waitNanos) throws IOException {
            long left = Math.min(deadline - System.nanoTime(), waitNanos);
            if (left <= 0) {
                throw new SocketTimeoutException("timed out");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        private int read() throws IOException {
            if (position == limit && !fill(Long.MAX_VALUE)) {
                return -1;
            }
            return buffer[position++] & 0xFF;
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int b = read();
                if (b < 0) {
                    if (line.length() == 0) {
                        throw new IOException("connection closed before an answer");
                    }
                    break;
                }
                if (b == '\n') {
                    break;
                }
                if (line.length() >= MAX_LINE) {
                    throw new IOException("header line too long");
                }
                line.append((char) b);
            }
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            return line.toString();
        }

        byte[] exactly(int n) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(n, 1 << 20));
            int left = n;
            while (left > 0) {
                if (position == limit && !fill(Long.MAX_VALUE)) {
                    throw new IOException("connection closed before the end of the answer");
                }
                int take = Math.min(left, limit - position);
                out.write(buffer, position, take);
                position += take;
                left -= take;
            }
            return out.toByteArray();
        }

        byte[] chunked() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n;
                try {
                    n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("invalid chunk size");
                }
                if (n < 0) {
                    throw new IOException("invalid chunk size");
                }
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    return out.toByteArray();
                }
                out.write(exactly(n));
                line();
            }
        }

        byte[] untilClosedOrPause() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(buffer, position, limit - position);
            position = limit;
            while (true) {
                try {
                    if (!fill(CLOSE_DELIMITED_PAUSE.toNanos())) {
                        return out.toByteArray();
                    }
                } catch (SocketTimeoutException pause) {
                    if (System.nanoTime() >= deadline) {
                        throw pause;
                    }
                    return out.toByteArray(); // the server sent what it had and keeps the connection open
                }
                out.write(buffer, 0, limit);
                position = limit;
            }
        }
    }
}
