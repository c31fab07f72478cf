package dev.agentchat.web;

import dev.agentchat.TestServer;
import dev.agentchat.reliability.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
             Socket socket = new RawHttp(server.port()).open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            // two requests on one connection: the second is answered only if the HEAD answer left it open
            socket.getOutputStream().write(("HEAD /agent-chat.jar HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + "GET /agent-chat.jar.sha256 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            RawHttp.Response head = RawHttp.read(socket.getInputStream());

            assertEquals(200, head.status(), head.toString());
            assertEquals(String.valueOf(content.length), head.header("content-length"), head.toString());
            assertEquals("application/java-archive", head.header("content-type"), head.toString());
            assertNull(head.header("connection"), "the connection stays open: " + head);
            // a HEAD answer has no body: what follows its head is the next answer
            assertTrue(head.body().startsWith("HTTP/1.1 200 "), head.body());
            assertTrue(head.body().endsWith("  agent-chat.jar\n"), head.body());
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
}
