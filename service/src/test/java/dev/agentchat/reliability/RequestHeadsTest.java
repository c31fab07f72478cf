package dev.agentchat.reliability;

import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.reliability.RawHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the server makes of a request before it reaches an endpoint: its head, its content type, its pace. */
class RequestHeadsTest {
    private static LiveServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        server = RawHttp.server(Map.of("agent-chat.limits.request-read-timeout", "1s", "agent-chat.max-wait", "3s"));
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response send(String method, String path, String contentType, String body) throws IOException {
        Map<String, String> headers = new HashMap<>(RawHttp.asHost(Map.of("X-Room-Password", RawHttp.PASSWORD)));
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return http.send(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    private static long postedId(String contentType) throws IOException {
        Response posted = send("POST", "/messages", contentType, "{\"agent\":\"curl\",\"text\":\"posted\"}");
        assertEquals(200, posted.status(), posted.body());
        String body = posted.body();
        int at = body.indexOf("\"id\":") + 5;
        return Long.parseLong(body.substring(at, body.indexOf(',', at)));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {"application/x-www-form-urlencoded", "none", "application/json",
        "text/plain;charset=UTF-8"})
    void jsonLabelledAsAFormOrNotLabelledIsReadAsJsonAtEveryEndpointThatTakesJson(String contentType) throws IOException {
        long id = postedId(contentType);
        assertEquals(200, send("POST", "/join", contentType, "{\"agent\":\"joiner-" + id + "\"}").status());
        assertEquals(200, send("POST", "/messages/" + id + "/ack", contentType, "{\"agent\":\"curl\"}").status());
        Response claim = send("POST", "/claims", contentType, "{\"agent\":\"curl\",\"resource\":\"file-" + id + "\"}");
        assertEquals(200, claim.status(), claim.body());
        Response cursor = send("PUT", "/agents/curl/cursor", contentType, "{\"after\":" + id + "}");
        assertEquals(200, cursor.status(), cursor.body());
        assertTrue(cursor.body().contains("\"after\":" + id), cursor.body());
        assertEquals(200, send("POST", "/room/brake/release", contentType, "{}").status());
    }

    @Test
    void aPostWithNoBodyAndNoContentTypeNeedsNone() throws IOException {
        assertEquals(200, send("POST", "/room/brake/release", null, null).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/xml", "garbage", "json", "/", "application/"})
    void otherContentTypesAndOnesThatAreNoMediaTypeAreRefusedWith415(String contentType) throws IOException {
        Response r = send("POST", "/messages", contentType, "{\"agent\":\"curl\",\"text\":\"labelled " + contentType + "\"}");
        assertEquals(415, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"unsupported_media_type\""), r.body());
        assertTrue(!http.get("/messages").body().contains("labelled " + contentType), "nothing was stored");
    }

    @Test
    void aBodyInAnEncodingTheServerDoesNotUndoIsRefusedWith415() throws IOException {
        Response r = http.send("POST", "/messages", Map.of("X-Room-Password", RawHttp.PASSWORD,
            "Content-Type", "application/json", "Content-Encoding", "br"),
            "{\"agent\":\"brotli\",\"text\":\"not really br\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1");
        assertEquals(415, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"unsupported_media_type\"") && r.body().contains("'br'"), r.body());
        assertTrue(!http.get("/messages").body().contains("not really br"), "nothing was stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/9.9", "HTTP/2.0", "HTTP/0.9"})
    void aRequestInAnHttpVersionOtherThanOneIs505(String version) throws IOException {
        Response r = http.sendRaw(("GET /health " + version + "\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(505, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"http_version_not_supported\""), r.body());
        assertEquals(200, http.sendRaw("GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).status());
    }

    @Test
    void anHttp10ClientGetsABodyOfUnknownLengthWithoutChunksEndedByTheClose() throws IOException {
        long id = postedId("application/json");
        try (Socket socket = http.open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /messages/export HTTP/1.0\r\nX-Room-Password: pw\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.0 200"), answer);
            assertFalse(answer.toLowerCase(Locale.ROOT).contains("transfer-encoding"), answer);
            assertTrue(answer.contains("\r\n\r\n# agent-chat\n") && answer.contains("**#" + id + "**"), answer);
        }
    }

    @Test
    void anHttp10ClientGetsAnEventStreamWithoutChunks() throws IOException {
        long id = postedId("application/json");
        try (Socket socket = http.open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /messages/stream?after=" + (id - 1) + " HTTP/1.0\r\nX-Room-Password: pw\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().contains("\"id\":" + id + ",")) {
                int next = in.read();
                assertTrue(next >= 0, "the stream ended: " + answer);
                answer.append((char) next);
            }
            String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
            String headers = head.toLowerCase(Locale.ROOT);
            assertTrue(head.startsWith("HTTP/1.0 200") && headers.contains("connection: close"), head);
            assertFalse(headers.contains("transfer-encoding"), head);
            assertTrue(answer.substring(head.length() + 4).startsWith(": connected\n\nid: " + id + "\nevent: message\ndata: {"),
                answer.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mcp/", "/join/", "/session/", "/room/", "/rooms/somewhere/mcp/", "/rooms/somewhere/join/"})
    void aRoomEndpointWithASlashAtItsEndAsksForThePasswordAsWithout(String path) throws IOException {
        Response r = http.send("POST", path, Map.of("Content-Type", "application/json"),
            "{\"agent\":\"slash\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1");
        assertTrue(r.status() == 401 || r.status() == 404, r.status() + " " + r.body());
        assertFalse(r.body().contains("internal_error"), r.body());
    }

    @Test
    void aTooLongUrlIs414NamingTheLimit() throws IOException {
        Response r = send("GET", "/messages?q=" + "a".repeat(5000), null, null);
        assertEquals(414, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"url_too_long\"") && r.body().contains("\"limit\":4096"), r.body());
        assertEquals("application/json", r.header("Content-Type"));
    }

    @Test
    void tooLargeHeadersAre431NamingTheLimit() throws IOException {
        Response r = http.send("GET", "/health", Map.of("X-Padding", "a".repeat(9000)), null, "127.0.0.1");
        assertEquals(431, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"headers_too_large\"") && r.body().contains("\"limit\":8192"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /health HTTP/1.1\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: localhost\r\nHost: elsewhere.example\r\n\r\n",
        "GET /health HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"})
    void aRequestWithoutItsHostOrWithTwoIs400BadRequest(String request) throws IOException {
        // they were served, whichever host each reader took them for
        Response r = http.sendRaw(request.getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"bad_request\"") && r.body().contains("Host"), r.body());
        assertEquals(200, http.sendRaw("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).status(),
            "HTTP/1.0 may leave the Host out");
    }

    @Test
    void aRequestThatIsNotHttpIs400BadRequest() throws IOException {
        Response r = http.sendRaw("GARBAGE\r\nmore garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n",
        "Transfer-Encoding: gzip\r\n\r\n{\"text\":\"hi\"}",
        "Transfer-Encoding: foo, xchunked\r\nContent-Length: 13\r\n\r\n{\"text\":\"hi\"}",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n"})
    void aBodyWhoseFramingCannotBeReadIsABadRequestAndTheConnectionIsClosed(String framing) throws IOException {
        try (Socket socket = http.open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            // a request after it on the same connection cannot be found: it is not answered
            socket.getOutputStream().write(("POST /messages HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: pw\r\n"
                + "Content-Type: application/json\r\n" + framing + "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            Response r = RawHttp.read(socket.getInputStream());
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().startsWith("{\"error\":\"Malformed HTTP request") && r.body().contains("\"code\":\"bad_request\""), r.body());
            assertFalse(r.body().contains("HTTP/1.1 200"), "one answer, then the connection closed: " + r.body());
        }
    }

    @Test
    void aChunkedBodyIsAnsweredAndTheConnectionClosedSoALengthBesideItSmugglesNothing() throws IOException {
        String body = "{\"agent\":\"chunked\",\"text\":\"hi\"}";
        try (Socket socket = http.open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            // read by its Content-Length, the body would end early and leave the rest as a request of its own
            socket.getOutputStream().write(("POST /messages HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: pw\r\n"
                + "Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.contains("\"agent\":\"chunked\""), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
            assertEquals(answer.indexOf("HTTP/1.1 "), answer.lastIndexOf("HTTP/1.1 "), "one answer, then the connection closed: " + answer);
        }
    }

    @ParameterizedTest
    @CsvSource({"/messages?agent=a&agent=b,agent", "/messages?limit=1&after=0&limit=2,limit",
        "/messages/export?format=jsonl&format=html,format", "/messages?after=20;after=1,after"})
    void aQueryParameterGivenTwiceIsRefusedWhicheverItIs(String path, String parameter) throws IOException {
        Response r = send("GET", path, null, null);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"invalid_parameter\"")
            && r.body().contains("Parameter '" + parameter + "' is given more than once"), r.body());
    }

    @ParameterizedTest
    @CsvSource({"DELETE,/", "POST,/", "PUT,/app.js", "POST,/style.css", "PROPFIND,/", "POST,/swagger-ui/index.html"})
    void theWebUisFilesAreReadOnlyAnyOtherMethodIs405(String method, String path) throws IOException {
        Response r = send(method, path, null, null);
        assertEquals(405, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"method_not_allowed\""), r.body());
        assertEquals(200, send("GET", path, null, null).status(), "the file is still there to read");
    }

    @Test
    void aMalformedEscapeInTheUrlIsABadRequestNotInvalidJson() throws IOException {
        Response r = send("GET", "/messages?agent=%ZZ", null, null);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
        assertTrue(r.body().contains("Malformed URL (a '%' must start an escape such as %20)"), r.body());
    }

    @Test
    void aUrlWithCharactersBeyondAsciiIsToldToEscapeThem() throws IOException {
        Response r = http.sendRaw(("GET /messages?q=HÉLLO HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: "
            + RawHttp.PASSWORD + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
        assertTrue(r.body().contains("characters beyond ASCII must be escaped as UTF-8 bytes"), r.body());
    }

    @Test
    void aHeadThatTricklesInIsAnswered408AndTheConnectionClosed() throws IOException {
        try (Socket socket = http.open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Response r = RawHttp.read(socket.getInputStream());
            assertEquals(408, r.status(), r.body());
            assertTrue(r.body().contains("\"code\":\"request_timeout\"") && r.body().contains("\"limit\":1"), r.body());
        }
    }

    @Test
    void aBodyThatTricklesInIsDisconnected() throws IOException {
        try (Socket socket = http.open("127.0.0.1")) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /messages HTTP/1.1\r\nHost: localhost\r\nX-Room-Password: pw\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\":").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "the server closes the connection without answering");
        }
    }

    @Test
    void aWaitingPollLongerThanTheReadTimeoutIsNotCut() throws IOException {
        long last = postedId("application/json");
        Response r = send("GET", "/messages/poll?after=" + last + "&wait=2", null, null);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("\"messages\":[]"), r.body());
    }

    @Test
    void aPreflightAllowsEveryRequestHeaderTheApiTakes() throws IOException {
        Response r = http.send("OPTIONS", "/rooms/any", Map.of("Origin", "http://elsewhere",
            "Access-Control-Request-Method", "PUT"), null, "127.0.0.1");
        Set<String> allowed = Arrays.stream(r.header("Access-Control-Allow-Headers").split(",\\s*"))
            .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> taken = new TreeSet<>(documentedHeaders());
        // named in the document's prose rather than as parameters
        taken.addAll(List.of("authorization", "content-type", "content-encoding", "x-agent-name",
            "mcp-session-id", "mcp-protocol-version"));
        taken.removeAll(allowed);
        assertEquals(Set.of(), taken, r.toString());
    }

    /** Every header the API document declares as a parameter or a security scheme, lower-cased. */
    private static Set<String> documentedHeaders() throws IOException {
        try (InputStream in = RequestHeadsTest.class.getResourceAsStream("/openapi/agent-chat.yaml")) {
            Set<String> headers = new TreeSet<>();
            collectHeaders(new Yaml().load(in), headers);
            assertTrue(headers.contains("x-room-password"), headers.toString());
            return headers;
        }
    }

    private static void collectHeaders(Object node, Set<String> headers) {
        if (node instanceof Map<?, ?> map) {
            if ("header".equals(map.get("in")) && map.get("name") instanceof String name) {
                headers.add(name.toLowerCase(Locale.ROOT));
            }
            map.values().forEach(value -> collectHeaders(value, headers));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> collectHeaders(value, headers));
        }
    }
}
