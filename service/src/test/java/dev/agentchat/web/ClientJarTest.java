package dev.agentchat.web;

import dev.agentchat.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /agent-chat.jar} and its checksum: the room hands out its client without a password. */
class ClientJarTest {
    @TempDir
    Path dir;

    @Test
    void jarAndItsChecksumAreServedWithoutPassword() throws Exception {
        byte[] content = "PK\u0003\u0004 not really a jar".getBytes();
        Path jar = Files.write(dir.resolve("agent-chat.jar"), content);
        try (TestServer server = TestServer.start(Map.of("agent-chat.client-jar", jar.toString()))) {
            HttpResponse<byte[]> download = server.http().send(HttpRequest.newBuilder(server.uri("/agent-chat.jar")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<String> sum = server.send(HttpRequest.newBuilder(server.uri("/agent-chat.jar.sha256")).GET().build());

            assertEquals(200, download.statusCode());
            assertEquals("application/java-archive", download.headers().firstValue("content-type").orElse(""));
            assertArrayEquals(content, download.body());
            assertEquals(200, sum.statusCode());
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            assertEquals(hex + "  agent-chat.jar\n", sum.body());
        }
    }

    @Test
    void aJarReplacedUnderTheRunningServerIsHandedOutWithItsOwnChecksum() throws Exception {
        Path jar = Files.write(dir.resolve("agent-chat.jar"), "PK\u0003\u0004 the first build".getBytes());
        try (TestServer server = TestServer.start(Map.of("agent-chat.client-jar", jar.toString()))) {
            assertEquals(sha256(Files.readAllBytes(jar)) + "  agent-chat.jar\n", checksum(server).body());

            byte[] rebuilt = "PK\u0003\u0004 a later build, longer".getBytes();
            Files.write(jar, rebuilt);
            assertEquals(sha256(rebuilt) + "  agent-chat.jar\n", checksum(server).body());
            Files.delete(jar);
            assertEquals(404, checksum(server).statusCode());
        }
    }

    @Test
    void theJarAndItsChecksumAreServedWhateverTheClientAccepts() throws Exception {
        // a client that asked for the checksum as text/plain, or the jar as what it is, was refused (406)
        Path jar = Files.write(dir.resolve("agent-chat.jar"), "PK\u0003\u0004".getBytes());
        try (TestServer server = TestServer.start(Map.of("agent-chat.client-jar", jar.toString()))) {
            for (String accept : List.of("text/plain", "application/json", "text/*", "application/octet-stream",
                "application/java-archive", "text/html;q=0.9")) {
                HttpResponse<String> sum = server.send(HttpRequest.newBuilder(server.uri("/agent-chat.jar.sha256"))
                    .header("Accept", accept).GET().build());
                assertEquals(200, sum.statusCode(), accept + ": " + sum.body());
                assertTrue(sum.headers().firstValue("content-type").orElse("").startsWith("text/plain"), sum.headers().toString());
                assertEquals(sha256(Files.readAllBytes(jar)) + "  agent-chat.jar\n", sum.body());
                HttpResponse<String> download = server.send(HttpRequest.newBuilder(server.uri("/agent-chat.jar"))
                    .header("Accept", accept).GET().build());
                assertEquals(200, download.statusCode(), accept + ": " + download.body());
                assertEquals("application/java-archive", download.headers().firstValue("content-type").orElse(""));
            }
        }
    }

    private static HttpResponse<String> checksum(TestServer server) {
        return server.send(HttpRequest.newBuilder(server.uri("/agent-chat.jar.sha256")).GET().build());
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Test
    void withoutAJarBothAnswerNotFoundAsJson() {
        try (TestServer server = TestServer.start()) {
            for (String path : new String[] {"/agent-chat.jar", "/agent-chat.jar.sha256"}) {
                HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());

                assertEquals(404, response.statusCode(), path);
                assertTrue(response.body().contains("\"code\":\"not_found\""), response.body());
            }
        }
    }
}
