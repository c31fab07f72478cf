package dev.agentchat.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.Json;
import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Talks to the server the way the original tool's clients did, byte by byte over one keep-alive
 * connection: post with the password header, poll with an index cursor, and read error bodies to
 * their end (the original left error responses unframed, so such clients hung).
 */
class OriginalProtocolTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Response(int status, Map<String, String> headers, String body) {
    }

    @Test
    void originalClientConversationWorksOnOneKeepAliveConnection() throws IOException {
        try (Socket socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();

            Response history = exchange(in, out, "GET", "/messages", "X-Room-Password: " + TestServer.PASSWORD, null);
            assertEquals(200, history.status());
            long count = Json.parse(history.body()).get("messages").size();

            Response sent = exchange(in, out, "POST", "/messages",
                "X-Room-Password: " + TestServer.PASSWORD + "\r\nContent-Type: application/json",
                "{\"agent\": \"legacy-bot\", \"text\": \"hello from the old client\"}");
            assertEquals(200, sent.status());
            JsonNode result = Json.parse(sent.body());
            assertTrue(result.get("ok").asBoolean());
            assertEquals("legacy-bot", result.get("message").get("agent").asText());
            assertTrue(result.get("message").has("timestamp"));

            Response poll = exchange(in, out, "GET", "/messages/poll?after=" + count,
                "X-Room-Password: " + TestServer.PASSWORD, null);
            JsonNode polled = Json.parse(poll.body());
            assertEquals(1, polled.get("messages").size());
            assertEquals("hello from the old client", polled.get("messages").get(0).get("text").asText());
            assertEquals(count + 1, polled.get("next").asLong(), "next is the total count, as the original said");

            Response wrong = exchange(in, out, "GET", "/messages", "X-Room-Password: nope", null);
            assertEquals(401, wrong.status());
            assertEquals("{\"error\":\"Invalid password\",\"code\":\"invalid_password\"}", wrong.body());

            Response bad = exchange(in, out, "POST", "/messages",
                "X-Room-Password: " + TestServer.PASSWORD + "\r\nContent-Type: application/json", "{not json");
            assertEquals(400, bad.status());
            assertEquals("Invalid JSON", Json.parse(bad.body()).get("error").asText());

            Response missing = exchange(in, out, "GET", "/nowhere", "", null);
            assertEquals(404, missing.status());
            assertEquals("Not found", Json.parse(missing.body()).get("error").asText());

            // the connection is still usable after all those errors
            Response health = exchange(in, out, "GET", "/health", "", null);
            assertEquals("{\"status\":\"ok\"}", health.body());
        }
    }

    @Test
    void passwordInQueryWorksWhenHeaderIsAbsent() throws IOException {
        try (Socket socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            Response r = exchange(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream(),
                "GET", "/messages?password=" + TestServer.PASSWORD, "", null);
            assertEquals(200, r.status());
            assertFalse(Json.parse(r.body()).get("messages").isMissingNode());
        }
    }

    private static Response exchange(InputStream in, OutputStream out, String method, String path, String headers,
                                      String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        if (!headers.isEmpty()) {
            request.append(headers).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();

        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> responseHeaders = new TreeMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String length = responseHeaders.get("content-length");
        assertTrue(length != null, "every answer is framed by Content-Length: " + responseHeaders);
        byte[] content = in.readNBytes(Integer.parseInt(length));
        return new Response(status, responseHeaders, new String(content, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
