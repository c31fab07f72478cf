package dev.agentchat.web;

import dev.agentchat.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A HEAD answer tells what the GET would bring (its type and size) and leaves the connection open. */
class HeadAnswersTest {
    @TempDir
    Path dir;

    @Test
    void headOfTheJarTellsItsSizeAndTypeAndKeepsTheConnection() throws Exception {
        byte[] content = "PK\u0003\u0004 not really a jar, but some bytes".getBytes(StandardCharsets.UTF_8);
        Path jar = Files.write(dir.resolve("agent-chat.jar"), content);
        try (TestServer server = TestServer.start(Map.of("agent-chat.client-jar", jar.toString()));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            Map<String, String> head = exchange(socket, "HEAD", "/agent-chat.jar");
            assertEquals("200", head.get(":status"), head.toString());
            assertEquals(String.valueOf(content.length), head.get("content-length"), head.toString());
            assertEquals("application/java-archive", head.get("content-type"), head.toString());
            assertNull(head.get("connection"), "the connection stays open: " + head);

            // the same connection answers the next request
            Map<String, String> next = exchange(socket, "GET", "/agent-chat.jar.sha256");
            assertEquals("200", next.get(":status"), next.toString());
            assertTrue(next.get(":body").endsWith("  agent-chat.jar\n"), next.toString());
        }
    }

    @Test
    void headOfTheGuideAndOfTheWebUiTellsTheSizeAndTypeTheGetBrings() {
        try (TestServer server = TestServer.start()) {
            for (String path : new String[] {"/skill.md", "/", "/app.js", "/agent-chat.jar.sha256"}) {
                HttpResponse<byte[]> get = server.http().sendAsync(HttpRequest.newBuilder(server.uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()).join();
                HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.uri(path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

                assertEquals(get.statusCode(), head.statusCode(), path);
                String length = head.headers().firstValue("content-length").orElse("");
                if (get.statusCode() == 200) {
                    assertEquals(String.valueOf(get.body().length), length, path);
                    assertEquals(get.headers().firstValue("content-type"), head.headers().firstValue("content-type"), path);
                }
                assertEquals("", head.body(), path);
            }
        }
    }

    /** One request on the socket and its answer: the status as ":status", each header by its lower-case name, and the body as ":body". */
    private static Map<String, String> exchange(Socket socket, String method, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        String[] lines = readHead(in).split("\r\n");
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put(":status", lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            answer.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int length = method.equals("HEAD") ? 0 : Integer.parseInt(answer.getOrDefault("content-length", "0"));
        answer.put(":body", new String(in.readNBytes(length), StandardCharsets.UTF_8));
        return answer;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.length() - 4);
    }
}
