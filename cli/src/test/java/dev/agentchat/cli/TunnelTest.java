package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** serve --tunnel with fake cloudflared and ngrok programs, and a local server standing in for the download. */
class TunnelTest {
    static final String CLOUDFLARED_URL = "https://fake-quick-tunnel.trycloudflare.com";
    static final String CLOUDFLARED = """
        #!/bin/sh
        echo "$$" > "$FAKE_DIR/cloudflared.pid"
        echo "$@" > "$FAKE_DIR/cloudflared.args"
        echo "2026-11-24T12:00:00Z INF Requesting new quick Tunnel on trycloudflare.com..." >&2
        echo "2026-11-24T12:00:01Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |" >&2
        echo "2026-11-24T12:00:01Z INF |  https://fake-quick-tunnel.trycloudflare.com                                                |" >&2
        exec sleep 600
        """;
    static final Pattern LOCAL = Pattern.compile("Local: +http://localhost:(\\d+)");

    @TempDir
    Path dir;
    HttpServer downloads;

    @AfterEach
    void stop() {
        if (downloads != null) {
            downloads.stop(0);
        }
    }

    @Test
    void cloudflaredOnPathGivesThePublicUrlAndStopsWithTheRoomOnCtrlC() throws Exception {
        program("cloudflared", CLOUDFLARED);

        try (CliProcess serve = serve("--tunnel", "cloudflared")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            assertTrue(serve.out().contains("Web UI:     " + CLOUDFLARED_URL + "/#password=pw"), serve.out());
            assertTrue(serve.out().contains("API:        " + CLOUDFLARED_URL + "\n"), serve.out());
            assertTrue(serve.out().contains("agent-chat join -u " + CLOUDFLARED_URL + " -p pw -a YOUR_NAME"), serve.out());
            Matcher local = LOCAL.matcher(serve.out());
            assertTrue(local.find(), serve.out());
            assertEquals("tunnel --url http://localhost:" + local.group(1) + " --protocol http2 --no-autoupdate",
                Files.readString(dir.resolve("cloudflared.args")).trim());
            assertDocumented("cloudflared", local.group(1));
            assertTrue(serve.out().contains("Join my agent-chat room at " + CLOUDFLARED_URL + " (password: pw).\n   How to take part, with curl, Python, the agent-chat CLI or MCP: " + CLOUDFLARED_URL + "/skill.md\n"), serve.out());
            String guide = get("http://localhost:" + local.group(1) + "/skill.md").body();
            assertTrue(guide.contains("ROOM=" + CLOUDFLARED_URL + "\n"), "the guide names the tunnel: " + guide);
            long tunnelPid = pid("cloudflared");

            new ProcessBuilder("kill", "-INT", Long.toString(serve.pid())).start().waitFor();

            assertEquals(0, serve.waitFor(20), serve.err());
            await().atMost(10, SECONDS).until(() -> !alive(tunnelPid));
        }
    }

    @Test
    void ngrokJsonLogGivesThePublicUrlAndStopsOnSigterm() throws Exception {
        program("ngrok", """
            #!/bin/sh
            echo "$$" > "$FAKE_DIR/ngrok.pid"
            echo "$@" > "$FAKE_DIR/ngrok.args"
            echo '{"addr":"127.0.0.1:4040","lvl":"info","msg":"starting web service","obj":"web","t":"2026-11-24T12:00:00Z"}'
            echo '{"addr":"http://localhost:'$2'","lvl":"info","msg":"started tunnel","name":"command_line","obj":"tunnels","t":"2026-11-24T12:00:01Z","url":"https://ab12-34.ngrok-free.app"}'
            exec sleep 600
            """);

        try (CliProcess serve = serve("--tunnel", "ngrok")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            assertTrue(serve.out().contains("agent-chat join -u https://ab12-34.ngrok-free.app -p pw -a YOUR_NAME"), serve.out());
            Matcher local = LOCAL.matcher(serve.out());
            assertTrue(local.find(), serve.out());
            assertEquals("http localhost:" + local.group(1) + " --log stdout --log-format json", Files.readString(dir.resolve("ngrok.args")).trim());
            assertDocumented("ngrok", local.group(1));
            long tunnelPid = pid("ngrok");

            serve.terminate();

            assertEquals(0, serve.waitFor(20), serve.err());
            await().atMost(10, SECONDS).until(() -> !alive(tunnelPid));
        }
    }

    @Test
    void aTunnelThatIgnoresTheStopSignalIsForcedWithinTheStopsTimeAndTheRoomExitsCleanly() throws Exception {
        program("cloudflared", """
            #!/bin/sh
            trap '' TERM INT
            echo "$$" > "$FAKE_DIR/cloudflared.pid"
            echo "x INF |  https://stubborn.trycloudflare.com  |" >&2
            while true; do sleep 1; done
            """);

        try (CliProcess serve = serve("--tunnel", "cloudflared")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            long tunnelPid = pid("cloudflared");

            serve.terminate();

            assertEquals(0, serve.waitFor(20), serve.err());
            assertFalse(serve.err().contains("did not finish"), serve.err());
            await().atMost(10, SECONDS).until(() -> !alive(tunnelPid));
        }
    }

    /** docs/operations.md shows the command {@code serve} ran for {@code program}, with PORT for the room's port. */
    private void assertDocumented(String program, String port) throws java.io.IOException {
        String command = "`" + program + " " + Files.readString(dir.resolve(program + ".args")).trim()
            .replace("localhost:" + port, "localhost:PORT") + "`";
        String doc = Files.readString(Path.of("..", "docs", "operations.md")).replaceAll("\\s+", " ");
        assertTrue(doc.contains(command), "docs/operations.md shows " + command);
    }

    @Test
    void missingCloudflaredIsDownloadedCheckedAndUsed() throws Exception {
        byte[] binary = CLOUDFLARED.getBytes(StandardCharsets.UTF_8);
        String url = serveDownload(200, binary);
        Path bin = dir.resolve("bin");

        try (CliProcess serve = serve(Map.of("AGENT_CHAT_CLOUDFLARED_URL", url, "AGENT_CHAT_BIN_DIR", bin.toString(),
            "AGENT_CHAT_CLOUDFLARED_SHA256", sha256(binary)), "--tunnel", "cloudflared")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            assertTrue(serve.out().contains("agent-chat join -u " + CLOUDFLARED_URL), serve.out());
            assertTrue(serve.err().contains("downloading " + url), serve.err());
            assertTrue(Files.isExecutable(bin.resolve("cloudflared")));
            try (var files = Files.list(bin)) {
                assertEquals(1, files.count(), "no temporary file is left behind");
            }
        }
    }

    @Test
    void aDownloadThatIsNotAProgramIsRejected() throws Exception {
        String url = serveDownload(200, "<html>rate limited</html>".getBytes(StandardCharsets.UTF_8));
        Path bin = dir.resolve("bin");

        try (CliProcess serve = serve(Map.of("AGENT_CHAT_CLOUDFLARED_URL", url, "AGENT_CHAT_BIN_DIR", bin.toString()),
            "--tunnel", "cloudflared")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            assertTrue(serve.err().contains("❌ The file downloaded from " + url + " does not look like cloudflared (25 bytes)"), serve.err());
            assertFalse(serve.out().contains("Ctrl-C"), "no half-running room: " + serve.out());
            assertFalse(Files.exists(bin.resolve("cloudflared")));
        }
    }

    @Test
    void aFailedDownloadIsExplained() throws Exception {
        String url = serveDownload(404, "not found".getBytes(StandardCharsets.UTF_8));

        try (CliProcess serve = serve(Map.of("AGENT_CHAT_CLOUDFLARED_URL", url, "AGENT_CHAT_BIN_DIR", dir.resolve("bin").toString()),
            "--tunnel", "cloudflared")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            assertTrue(serve.err().contains("❌ Cannot download cloudflared from " + url + ": HTTP 404"), serve.err());
        }
    }

    @Test
    void aDownloadFromAHostThatDoesNotAnswerSaysWhichHostAndWhatFailed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/cloudflared-linux-amd64";

        try (CliProcess serve = serve(Map.of("AGENT_CHAT_CLOUDFLARED_URL", url, "AGENT_CHAT_BIN_DIR", dir.resolve("bin").toString()),
            "--tunnel", "cloudflared")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            String failure = serve.err().substring(serve.err().indexOf("❌"));
            assertTrue(failure.startsWith("❌ Cannot download cloudflared from " + url + ": the connection to 127.0.0.1 failed (ConnectException"),
                failure);
            assertFalse(failure.contains("null"), failure);
            assertEquals(1, failure.lines().count(), failure);
        }
    }

    @Test
    void aTunnelThatExitsWithoutAUrlFailsTheServe() throws Exception {
        program("cloudflared", """
            #!/bin/sh
            echo "2026-11-24T12:00:00Z INF Requesting new quick Tunnel on trycloudflare.com..." >&2
            echo "2026-11-24T12:00:00Z ERR failed to request quick Tunnel: 429 Too Many Requests" >&2
            echo "2026-11-24T12:00:00Z INF Tunnel server stopped" >&2
            exit 1
            """);

        try (CliProcess serve = serve("--tunnel", "cloudflared")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            assertTrue(serve.err().contains("❌ cloudflared exited (code 1) before reporting a public URL: "
                + "2026-11-24T12:00:00Z ERR failed to request quick Tunnel: 429 Too Many Requests"), serve.err());
        }
    }

    @Test
    void aTunnelThatFailsSaysItsFirstErrorNotItsLastLine() throws Exception {
        program("ngrok", """
            #!/bin/sh
            echo '{"lvl":"info","msg":"open config file","path":"/root/.config/ngrok/ngrok.yml","err":"<nil>"}'
            echo '{"lvl":"eror","msg":"failed to reconnect session","obj":"tunnels.session","err":"authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken."}'
            echo 'ERROR:  authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.' >&2
            echo 'ERROR:  ' >&2
            echo 'ERROR:  ERR_NGROK_105' >&2
            exit 1
            """);

        try (CliProcess serve = serve("--tunnel", "ngrok")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            assertTrue(serve.err().contains("❌ ngrok exited (code 1) before reporting a public URL: authentication failed: "
                + "The authtoken you specified does not look like a proper ngrok tunnel authtoken.\n"), serve.err());
        }
    }

    @Test
    void ngrokWithoutAValidAuthtokenFailsInOneLineAndAHintWithoutShowingTheToken() throws Exception {
        // as ngrok 3 says it: its JSON err goes on over lines, as do its ERROR lines on stderr
        program("ngrok", """
            #!/bin/sh
            printf '%s\\n' '{"lvl":"info","msg":"open config file","path":"/root/.config/ngrok/ngrok.yml","err":"<nil>"}'
            printf '%s\\n' '{"err":"authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.\\nYour authtoken: s3cret-token\\nInstructions to install your authtoken are on your ngrok dashboard:\\nhttps://dashboard.ngrok.com/get-started/your-authtoken\\r\\n\\r\\nERR_NGROK_105\\r\\n","lvl":"eror","msg":"failed to reconnect session","obj":"tunnels.session"}'
            printf '%s\\n' 'ERROR:  authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.' \\
              'ERROR:  Your authtoken: s3cret-token' 'ERROR:  Instructions to install your authtoken are on your ngrok dashboard:' \\
              'ERROR:  https://dashboard.ngrok.com/get-started/your-authtoken' 'ERROR:  ' 'ERROR:  ERR_NGROK_105' \\
              'ERROR:  https://ngrok.com/docs/errors/err_ngrok_105/' >&2
            exit 1
            """);

        try (CliProcess serve = serve("--tunnel", "ngrok")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            String failure = serve.err().substring(serve.err().indexOf("❌"));
            assertEquals("❌ ngrok exited (code 1) before reporting a public URL: authentication failed: "
                + "The authtoken you specified does not look like a proper ngrok tunnel authtoken.\n"
                + "Give ngrok your authtoken (ngrok config add-authtoken TOKEN, from "
                + "https://dashboard.ngrok.com/get-started/your-authtoken), or use --tunnel cloudflared\n", failure);
        }
    }

    @Test
    void aSilentTunnelTimesOutAndIsStopped() throws Exception {
        program("cloudflared", """
            #!/bin/sh
            echo "$$" > "$FAKE_DIR/cloudflared.pid"
            exec sleep 600
            """);

        try (CliProcess serve = serve("--tunnel", "cloudflared", "--tunnel-timeout", "2")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            assertTrue(serve.err().contains("❌ cloudflared reported no public URL within 2 s"), serve.err());
            assertFalse(alive(pid("cloudflared")));
        }
    }

    @Test
    void aStopSignalWhileTheTunnelStartsStopsTheTunnelTooAndExitsCleanly() throws Exception {
        program("cloudflared", """
            #!/bin/sh
            echo "$$" > "$FAKE_DIR/cloudflared.pid"
            exec sleep 600
            """);

        try (CliProcess serve = serve("--tunnel", "cloudflared", "--tunnel-timeout", "60")) {
            await().atMost(30, SECONDS).until(() -> Files.exists(dir.resolve("cloudflared.pid")));
            long tunnelPid = pid("cloudflared");

            serve.terminate();

            assertEquals(0, serve.waitFor(20), serve.err()); // the JVM's own answer to SIGTERM would be 143
            await().atMost(10, SECONDS).until(() -> !alive(tunnelPid));
        }
    }

    @Test
    void aServerBoundToOneAddressIsWhereItsTunnelForwardsTo() throws Exception {
        program("cloudflared", CLOUDFLARED);

        try (CliProcess serve = serve("--tunnel", "cloudflared", "--host", "127.0.0.1")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            Matcher local = Pattern.compile("Local: +http://127\\.0\\.0\\.1:(\\d+)").matcher(serve.out());
            assertTrue(local.find(), serve.out());
            assertEquals("tunnel --url http://127.0.0.1:" + local.group(1) + " --protocol http2 --no-autoupdate",
                Files.readString(dir.resolve("cloudflared.args")).trim());
            serve.terminate();
            assertEquals(0, serve.waitFor(20), serve.err());
        }
    }

    /** A cloudflared that dies 3 s after it started the first time (saying why), and then as {@code then} says. */
    private static String dyingOnce(String then) {
        return """
            #!/bin/sh
            echo "$$" > "$FAKE_DIR/cloudflared.pid"
            if [ ! -e "$FAKE_DIR/started-once" ]; then
              touch "$FAKE_DIR/started-once"
              echo "2026-11-24T12:00:01Z INF |  https://fake-quick-tunnel.trycloudflare.com  |" >&2
              sleep 3
              echo "2026-11-24T12:00:04Z ERR Connection terminated error=\\"no more connections\\"" >&2
              echo "2026-11-24T12:00:04Z INF Retrying in 1s" >&2
              exit 3
            fi
            """ + then;
    }

    @Test
    void aTunnelThatDiesIsStartedAgainAndTheRoomGoesOnUnderItsNewAddress() throws Exception {
        program("cloudflared", dyingOnce("""
            echo "2026-11-24T12:00:06Z INF |  https://second-quick-tunnel.trycloudflare.com  |" >&2
            exec sleep 600
            """));

        try (CliProcess serve = serve("--tunnel", "cloudflared")) {
            await().atMost(30, SECONDS).until(() -> serve.err().contains("🌐 The room is public again at "
                + "https://second-quick-tunnel.trycloudflare.com (the old address no longer works: give agents this one)"));
            assertTrue(serve.err().contains("⚠️ The cloudflared tunnel stopped (exit code 3): 2026-11-24T12:00:04Z ERR "
                + "Connection terminated error=\"no more connections\"; starting it again"), serve.err());
            Matcher local = LOCAL.matcher(serve.out());
            assertTrue(local.find(), serve.out());
            String guide = get("http://localhost:" + local.group(1) + "/skill.md").body();
            assertTrue(guide.contains("ROOM=https://second-quick-tunnel.trycloudflare.com\n"), "the guide names the new address");
            long tunnelPid = pid("cloudflared");

            serve.terminate();
            assertEquals(0, serve.waitFor(20), serve.err());
            await().atMost(10, SECONDS).until(() -> !alive(tunnelPid));
        }
    }

    @Test
    void aTunnelThatCannotBeStartedAgainLeavesTheRoomRunningOnThisMachine() throws Exception {
        program("cloudflared", dyingOnce("""
            echo "2026-11-24T12:00:06Z ERR failed to request quick Tunnel: 429 Too Many Requests" >&2
            exit 1
            """));

        try (CliProcess serve = serve("--tunnel", "cloudflared")) {
            await().atMost(60, SECONDS).until(() -> serve.err().contains("❌ The cloudflared tunnel could not be started again: "
                + "the room goes on at http://localhost:"));
            assertTrue(serve.err().contains("429 Too Many Requests"), serve.err());
            Matcher local = LOCAL.matcher(serve.out());
            assertTrue(local.find(), serve.out());
            assertEquals(200, get("http://localhost:" + local.group(1) + "/health").statusCode(), "the room is still there");

            serve.terminate();
            assertEquals(0, serve.waitFor(20), serve.err());
        }
    }

    @Test
    void missingNgrokIsExplained() throws Exception {
        try (CliProcess serve = serve("--tunnel", "ngrok")) {
            assertEquals(ExitCodes.TUNNEL, serve.waitFor(30));
            assertTrue(serve.err().contains("❌ ngrok is not installed"), serve.err());
        }
    }

    private CliProcess serve(String... args) throws IOException {
        return serve(Map.of(), args);
    }

    private CliProcess serve(Map<String, String> extra, String... args) throws IOException {
        Map<String, String> env = new HashMap<>(extra);
        env.put("PATH", dir + ":/usr/bin:/bin");
        env.put("FAKE_DIR", dir.toString());
        env.putIfAbsent("AGENT_CHAT_BIN_DIR", dir.resolve("empty-bin").toString());
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"serve", "-p", "pw", "--port", "0"}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        return CliProcess.start(env, null, all);
    }

    /** The answer to a GET of {@code url}, from the room on this machine. */
    private static java.net.http.HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private void program(String name, String script) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, script.stripIndent());
        assertTrue(file.toFile().setExecutable(true));
    }

    private long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(name + ".pid")).trim());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private String serveDownload(int status, byte[] body) throws IOException {
        downloads = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        downloads.createContext("/cloudflared-linux-amd64", exchange -> {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        downloads.start();
        return "http://127.0.0.1:" + downloads.getAddress().getPort() + "/cloudflared-linux-amd64";
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
