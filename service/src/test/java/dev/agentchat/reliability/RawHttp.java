package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for tests that need what ordinary clients will not do: a chosen
 * source address (127.0.0.x stands for different clients), arbitrary bytes, a reader that stalls.
 */
public final class RawHttp {
    public static final String PASSWORD = "pw";

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /**
     * A real server with the room password {@link #PASSWORD} and the given settings. Test clients connect
     * from 127.0.0.x to stand for different clients, so the loopback exemption is off unless a test turns it on.
     */
    public static LiveServer server(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("agent-chat.limits.exempt-loopback", false);
        all.putAll(settings);
        return LiveServer.start(PASSWORD, all);
    }

    /** The headers with the test servers' host key added ({@code Authorization: Bearer}). */
    public static Map<String, String> asHost(Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Authorization", "Bearer " + LiveServer.HOST_KEY);
        return all;
    }

    /** A parsed answer; header names lower-cased. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public Response get(String path) throws IOException {
        return send("GET", path, Map.of("X-Room-Password", PASSWORD), null, "127.0.0.1");
    }

    public Response postJson(String json) throws IOException {
        return postJson(json, "127.0.0.1");
    }

    public Response postJson(String json, String from) throws IOException {
        return send("POST", "/messages", Map.of("X-Room-Password", PASSWORD, "Content-Type", "application/json"),
            json.getBytes(StandardCharsets.UTF_8), from);
    }

    /** Sends one request (with {@code Connection: close}) from the local address {@code from} and reads the answer. */
    public Response send(String method, String path, Map<String, String> headers, byte[] body, String from)
        throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = open(from)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** Sends raw bytes as they are and reads whatever answer comes until the server closes. */
    public Response sendRaw(byte[] request) throws IOException {
        try (Socket socket = open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return read(socket.getInputStream());
        }
    }

    /** A connected socket from the given local address (the port is the kernel's choice). */
    public Socket open(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Opens a stream and returns its socket once the status line and headers have arrived. */
    public Socket openStream(String path, String from) throws IOException {
        Socket socket = open(from);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: " + PASSWORD
            + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    /**
     * Reads until the server closes and parses the first answer: its status, headers and, unless it is
     * chunked, everything after its head as the body (after a {@code HEAD} answer, the next answer).
     */
    public static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String latin = new String(all, StandardCharsets.ISO_8859_1);
        int end = latin.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Response(0, Map.of(), latin);
        }
        String[] lines = latin.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int from = end + 4;
        byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
            ? dechunk(all, from) : java.util.Arrays.copyOfRange(all, from, all.length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] all, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = from;
        while (at < all.length) {
            int lineEnd = at;
            while (lineEnd + 1 < all.length && !(all[lineEnd] == '\r' && all[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            if (lineEnd + 1 >= all.length) {
                break;
            }
            int size = Integer.parseInt(new String(all, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            int length = Math.min(size, all.length - start);
            out.write(all, start, length);
            at = start + length + 2;
        }
        return out.toByteArray();
    }
}
