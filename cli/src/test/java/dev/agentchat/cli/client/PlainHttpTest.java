package dev.agentchat.cli.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-shot commands' HTTP client against servers that answer in every way a server can. */
class PlainHttpTest {
    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> request = new CompletableFuture<>();
    private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        drip.shutdownNow();
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    /** Accepts one connection, reads the request (headers and Content-Length body) and lets {@code answer} write. */
    private void serve(Consumer<Socket> answer) {
        Thread thread = new Thread(() -> {
            try {
                Socket socket = server.accept();
                accepted.add(socket);
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    seen.write(in.read());
                }
                String head = seen.toString(StandardCharsets.ISO_8859_1);
                int length = head.toLowerCase().contains("content-length: ")
                    ? Integer.parseInt(head.replaceAll("(?is).*content-length: (\\d+).*", "$1")) : 0;
                request.complete(head + new String(in.readNBytes(length), StandardCharsets.UTF_8));
                answer.accept(socket);
            } catch (IOException e) {
                request.completeExceptionally(e);
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    private static void write(Socket socket, String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    private PlainHttp.Response exchange(String method, String path, String body, Duration timeout) throws IOException {
        return PlainHttp.exchange(method, url(path), body, Duration.ofSeconds(5), timeout, "X-Room-Password", "pw");
    }

    @Test
    void sendsOneRequestWithItsHeadersAndBodyAndReadsALengthDelimitedAnswer() throws Exception {
        serve(socket -> write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":\"é\"}"));

        PlainHttp.Response response = exchange("POST", "/rooms/a/messages?after=1", "{\"text\":\"ü\"}", Duration.ofSeconds(5));

        assertEquals(200, response.status());
        assertEquals("{\"ok\":\"é\"}", response.body());
        assertEquals("application/json", response.header("Content-Type"));
        String sent = request.get();
        assertTrue(sent.startsWith("POST /rooms/a/messages?after=1 HTTP/1.1\r\n"), sent);
        assertTrue(sent.contains("\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\n"), sent);
        assertTrue(sent.contains("\r\nConnection: close\r\n"), sent);
        assertTrue(sent.contains("\r\nX-Room-Password: pw\r\n"), sent);
        assertTrue(sent.contains("\r\nContent-Length: 13\r\n"), sent);
        assertTrue(sent.endsWith("\r\n\r\n{\"text\":\"ü\"}"), sent);
    }

    @Test
    void readsAChunkedAnswer() throws Exception {
        serve(socket -> write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n"));

        assertEquals("{\"a\":1}", exchange("GET", "/agents", null, Duration.ofSeconds(5)).body());
    }

    @Test
    void aBodyWithoutLengthOnAConnectionLeftOpenEndsAtTheFirstPause() {
        // the original server's 404: no Content-Length, and the connection stays open
        serve(socket -> write(socket, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>404</html>"));

        PlainHttp.Response response = assertTimeoutPreemptively(Duration.ofSeconds(5),
            () -> exchange("GET", "/agents", null, Duration.ofSeconds(30)));

        assertEquals(404, response.status());
        assertEquals("<html>404</html>", response.body());
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        serve(socket -> { });

        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
            assertThrows(SocketTimeoutException.class, () -> exchange("GET", "/agents", null, Duration.ofMillis(300))));
    }

    @Test
    void aBodyThatStopsHalfWayTimesOut() {
        serve(socket -> write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\""));

        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
            assertThrows(SocketTimeoutException.class, () -> exchange("GET", "/agents", null, Duration.ofMillis(300))));
    }

    @Test
    void aBodyThatKeepsDrippingIsCutAtTheDeadline() {
        serve(socket -> {
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
            // a byte every 50 ms: never a pause, never the end
            drip.scheduleAtFixedRate(() -> write(socket, "x"), 50, 50, TimeUnit.MILLISECONDS);
        });

        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
            assertThrows(SocketTimeoutException.class, () -> exchange("GET", "/agents", null, Duration.ofMillis(500))));
    }

    @Test
    void aHeaderValueThatWouldSplitTheRequestIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PlainHttp.exchange("GET", url("/"), null, Duration.ofSeconds(1),
            Duration.ofSeconds(1), "X-Room-Password", "pw\r\nX-Other: 1"));
    }
}
