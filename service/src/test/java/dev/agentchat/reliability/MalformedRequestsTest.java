package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throws randomized malformed requests at every endpoint: never a 5xx, and the server is healthy after. */
class MalformedRequestsTest {
    private static final int REQUESTS = 600;
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "BREW"};
    private static final String[] PATHS = {"/", "/health", "/messages", "/messages/poll", "/messages/stream", "/agents",
        "/openapi.yaml", "/swagger-ui/index.html", "/app.js", "/messages/", "/messages/../agents", "/%ZZ", "/messages%00",
        "/nope", "//messages", "/messages/stream/x", "/agents/x"};
    private static final String[] PARAMS = {"after", "limit", "wait", "agent", "for", "events", "password"};
    private static final String[] VALUES = {"0", "-1", "1e9", "99999999999999999999", "NaN", "abc", "", "%00", "%FF",
        "%", "1.5", "0x10", "%0Aevent:%20x", "presence", "a%2Cb", " 1"};
    private static final String[] TYPES = {"application/json", "application/x-www-form-urlencoded", "text/plain",
        "application/json; charset=latin1", "multipart/form-data", "*/*", "application/json; charset=utf-16", ";;;", ""};
    private static final String[] BODIES = {"{\"text\":\"hi\"}", "{\"text\":123}", "{\"text\":\"hi\",\"to\":[null]}",
        "{\"text\":\"hi\",\"reply_to\":-1}", "{\"text\":\"hi\",\"reply_to\":1e400}", "{\"text\":\"\\ud800\"}",
        "{\"agent\":{},\"text\":\"x\"}", "[", "{\"text\":\"a\",\"text\":5}", "{\"text\":\"x\",\"reply_to\":99999999999999999999}"};

    @Test
    void randomMalformedRequestsNeverGetA5xxAndTheServerStaysHealthy() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        try (LiveServer server = RawHttp.server(Map.of("agent-chat.limits.password-failure-burst", 100_000,
            "agent-chat.limits.send-burst-per-address", 100_000, "agent-chat.limits.send-burst-per-agent", 100_000,
            "micronaut.server.max-request-size", 4096, "agent-chat.max-wait", "200ms"))) {
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                boolean garbage = random.nextInt(10) == 0;
                byte[] request = garbage ? garbage(random) : request(random);
                int status = status(server.port(), request, garbage);
                if (status >= 500) {
                    failures.add(status + " for " + new String(request, StandardCharsets.ISO_8859_1).replace("\r\n", " | "));
                }
            }
            assertTrue(failures.isEmpty(), "seed " + seed + ": " + String.join("\n", failures));
            RawHttp http = new RawHttp(server.port());
            assertEquals(200, http.send("GET", "/health", Map.of(), null, "127.0.0.1").status());
            assertEquals(200, http.postJson("{\"agent\":\"after\",\"text\":\"still working\"}").status());
            assertTrue(http.get("/messages").body().contains("still working"));
        }
    }

    private static byte[] request(Random random) {
        // half the requests go to a real operation, so that they get past routing into the handlers
        String[] operation = pick(random, new String[] {"POST /messages", "GET /messages", "GET /messages/poll",
            "GET /messages/stream", "GET /agents", "GET /health"}).split(" ");
        boolean real = random.nextBoolean();
        String method = real ? operation[0] : pick(random, METHODS);
        StringBuilder target = new StringBuilder(real ? operation[1] : pick(random, PATHS));
        int params = random.nextInt(4);
        for (int p = 0; p < params; p++) {
            target.append(p == 0 ? '?' : '&').append(pick(random, PARAMS)).append('=').append(pick(random, VALUES));
        }
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if (random.nextInt(5) > 0) {
            head.append("X-Room-Password: ").append(random.nextInt(4) > 0 ? RawHttp.PASSWORD : "wrong").append("\r\n");
        }
        if (random.nextInt(3) == 0) {
            head.append("Last-Event-ID: ").append(pick(random, VALUES)).append("\r\n");
        }
        if (random.nextInt(4) == 0) {
            head.append("Accept: ").append(pick(random, new String[] {"text/event-stream", "application/xml", "*/*",
                "image/png"})).append("\r\n");
        }
        if (random.nextInt(8) == 0) {
            head.append("Content-Encoding: ").append(pick(random, new String[] {"gzip", "deflate", "br", "zz"})).append("\r\n");
        }
        byte[] body = body(random);
        if (body != null) {
            head.append("Content-Type: ").append(pick(random, TYPES)).append("\r\n");
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] body(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> randomBytes(random, random.nextInt(200));
            case 2 -> mutate(random, pick(random, BODIES).getBytes(StandardCharsets.UTF_8));
            case 3 -> ("{\"text\":\"" + "x".repeat(random.nextInt(6000)) + "\"}").getBytes(StandardCharsets.UTF_8);
            default -> pick(random, BODIES).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] garbage(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> randomBytes(random, 1 + random.nextInt(300));
            case 1 -> "GET /messages HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> ("POST /messages HTTP/1.1\r\nHost: x\r\nX-Room-Password: pw\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            default -> ("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n" + "X: y\r\n".repeat(random.nextInt(3))
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    private static byte[] mutate(Random random, byte[] bytes) {
        for (int i = random.nextInt(4); i >= 0 && bytes.length > 0; i--) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    /** The status code of the answer (0 when the server closed without one); a stream is not read to its end. */
    private static int status(int port, byte[] request, boolean garbage) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (garbage) {
                // the server may be waiting for the rest of a request that never comes
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.append((char) b);
            }
            String[] parts = line.toString().split(" ");
            return parts.length > 1 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : 0;
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return 0;
        }
    }
}
