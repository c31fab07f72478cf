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
