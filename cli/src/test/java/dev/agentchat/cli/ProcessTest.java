package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import dev.agentchat.client.model.Message;
import dev.agentchat.room.RoomTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command as a real process: environment variables, stdin, exit codes, signals. */
class ProcessTest {
    static final Pattern API = Pattern.compile("API: +(http://\\S+)");

    @TempDir
    static Path home;
    static TestRoom room;

    @BeforeAll
    static void start() {
        room = TestRoom.start();
    }

    @AfterAll
    static void stop() {
        room.close();
    }

    @Test
    void environmentVariablesStandInForTheFlags() throws Exception {
        Map<String, String> env = Map.of("AGENT_CHAT_URL", room.url(), "AGENT_CHAT_PASSWORD", "pw",
            "AGENT_CHAT_NAME", "envoy", "XDG_STATE_HOME", home.resolve("state").toString());

        try (CliProcess send = CliProcess.start(env, null, "send", "-m", "from the environment")) {
            assertEquals(0, send.waitFor(30), send.err());
            assertEquals("✅ Sent message as envoy\n", send.out());
        }
        try (CliProcess read = CliProcess.start(env, null, "read")) {
            assertEquals(0, read.waitFor(30), read.err());
            assertTrue(read.out().contains("envoy (you): from the environment"), read.out());
        }
        try (var cursors = Files.list(home.resolve("state/agent-chat/cursors"))) {
            assertEquals(1, cursors.count());
        }
    }

    @Test
    void sendReadsMultiLineTextFromStdin() throws Exception {
        try (CliProcess send = CliProcess.start(Map.of(), "line one\nline two\n",
            "send", "-u", room.url(), "-p", "pw", "-a", "piper", "-m", "-")) {
            assertEquals(0, send.waitFor(30), send.err());
        }
        List<Message> history = room.client().history();
        assertEquals("line one\nline two", history.get(history.size() - 1).getText());
    }

    @Test
    void errorsAreOneLineWithTheDocumentedExitCode() throws Exception {
        try (CliProcess wrong = CliProcess.start(Map.of(), null, "send", "-u", room.url(), "-p", "bad", "-a", "x", "-m", "y");
             CliProcess down = CliProcess.start(Map.of(), null, "listen", "-u", "http://127.0.0.1:1", "-p", "pw");
             CliProcess timeout = CliProcess.start(Map.of("XDG_STATE_HOME", home.toString()), null,
                 "wait", "-u", room.url(), "-p", "pw", "-a", "sleeper", "--timeout", "0.5")) {
            assertEquals(1, wrong.waitFor(30));
            assertEquals("❌ Invalid password\n", wrong.err());
            assertEquals(3, down.waitFor(30));
            assertTrue(down.err().endsWith("❌ Cannot reach http://127.0.0.1:1: connection refused\n"), down.err());
            assertEquals(4, timeout.waitFor(30));
            assertEquals("", timeout.out() + timeout.err());
        }
    }

    @Test
    void serveRunsARoomAndStopsCleanlyOnSigterm() throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "--password", "s3cret", "--port", "0",
            "--host", "127.0.0.1", "--max-history", "5", "--topic", "release 2.0")) {
            // the whole banner, not only its first lines: it ends with how to stop the room
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            assertTrue(serve.out().contains("\n   Topic:      release 2.0\n"), serve.out());
            Matcher api = API.matcher(serve.out());
            assertTrue(api.find());
            String url = api.group(1);
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            assertTrue(serve.out().contains("Web UI:     " + url + "/#password=s3cret"), serve.out());
            assertTrue(serve.out().contains("Swagger UI: " + url + "/swagger-ui/index.html"), serve.out());
            assertTrue(serve.out().contains("agent-chat join -u " + url + " -p s3cret -a YOUR_NAME"), serve.out());

            try (CliProcess send = CliProcess.start(Map.of(), null, "send", "-u", url, "-p", "s3cret", "-a", "a", "-m", "up")) {
                assertEquals(0, send.waitFor(30), send.err());
            }

            serve.terminate();
            int code = serve.waitFor(15);
            assertEquals(0, code, "a clean stop exits 0\n" + serve.err());
            assertFalse(serve.err().contains("Exception"), serve.err());
        }
    }

    @Test
    void serveStopsCleanlyWhenItsTerminalHangsUp() throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "--password", "s3cret", "--port", "0",
            "--host", "127.0.0.1")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).start().waitFor());
            int code = serve.waitFor(15);
            assertEquals(0, code, "a clean stop exits 0\n" + serve.err());
            assertFalse(serve.err().contains("Exception"), serve.err());
            assertTrue(serve.err().contains("Stopping the room"), serve.err());
        }
    }

    @Test
    void aPublicUrlGivenWithATrailingSlashMakesNoDoubleSlashInTheInviteOrTheGuide() throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "--password", "s3cret", "--port", "0",
            "--host", "127.0.0.1", "-D", "agent-chat.public-url=https://room.example.test/")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            assertTrue(serve.out().contains("API:        https://room.example.test\n"), serve.out());
            assertTrue(serve.out().contains("https://room.example.test/skill.md"), serve.out());
            assertFalse(serve.out().contains("test//"), serve.out());
            serve.terminate();
            assertEquals(0, serve.waitFor(15), serve.err());
        }
    }

    @ParameterizedTest
    @CsvSource({"-Dagent-chat.public-url=https://room.example.test,", ",https://room.example.test"})
    void aPublicUrlGivenAsAJvmPropertyOrInTheEnvironmentIsTheOneTheInviteGives(String jvm, String env) throws Exception {
        try (CliProcess serve = CliProcess.startInJvm(jvm == null ? List.of() : List.of(jvm),
            env == null ? Map.of() : Map.of("AGENT_CHAT_PUBLIC_URL", env),
            "serve", "--password", "s3cret", "--port", "0", "--host", "127.0.0.1")) {
            serve.closeStdin();
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            assertTrue(serve.out().contains("API:        https://room.example.test\n"), serve.out());
            assertTrue(serve.out().contains("https://room.example.test/skill.md"), serve.out());
            serve.terminate();
            assertEquals(0, serve.waitFor(15), serve.err());
        }
    }

    @Test
    void serveInvitesWithItsGuideAndHandsOutItsJar(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("agent-chat.jar"), "a jar");
        try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "--password", "s3cret", "--port", "0",
            "--host", "127.0.0.1", "-D", "agent-chat.client-jar=" + jar)) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            Matcher api = API.matcher(serve.out());
            assertTrue(api.find());
            String url = api.group(1);

            assertTrue(serve.out().contains("Join my agent-chat room at " + url + " (password: s3cret).\n   How to take part, with curl, Python, the agent-chat CLI or MCP: " + url + "/skill.md\n"), serve.out());
            assertTrue(serve.out().contains("     curl -fsSO " + url + "/agent-chat.jar\n"
                + "     java -jar agent-chat.jar read -u " + url + " -p s3cret -a YOUR_NAME\n"
                + "     (then write java -jar agent-chat.jar wherever the lines above say agent-chat)\n"),
                serve.out());
            HttpClient http = HttpClient.newHttpClient();
            String guide = http.send(HttpRequest.newBuilder(URI.create(url + "/skill.md")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(guide.contains("ROOM=" + url + "\n"), guide);
            assertFalse(guide.contains("s3cret"), guide);
            assertEquals("a jar", http.send(HttpRequest.newBuilder(URI.create(url + "/agent-chat.jar")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    @Test
    void serveHandsOutItsOwnJarUnlessTheHostGivesAnotherInTheEnvironment(@TempDir Path dir) throws Exception {
        Path own = commandJar(dir.resolve("own/agent-chat.jar"));
        Path hosts = Files.writeString(dir.resolve("hosts.jar"), "the host's jar");
        assertEquals("the host's jar", servedJar(own, Map.of("AGENT_CHAT_CLIENT_JAR", hosts.toString())));
        assertEquals(Files.size(own), servedJar(own, Map.of()).length(), "its own jar");
    }

    /** What {@code GET /agent-chat.jar} answers of a room served from {@code jar} with {@code env}. */
    private static String servedJar(Path jar, Map<String, String> env) throws Exception {
        try (CliProcess serve = CliProcess.startFromJar(jar, env, "serve", "--password", "s3cret", "--port", "0",
            "--host", "127.0.0.1")) {
            serve.closeStdin();
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            Matcher api = API.matcher(serve.out());
            assertTrue(api.find(), serve.out());
            assertTrue(serve.out().contains("curl -fsSO " + api.group(1) + "/agent-chat.jar"), serve.out());
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.group(1) + "/agent-chat.jar")).build(),
                HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(200, answer.statusCode());
            serve.terminate();
            assertEquals(0, serve.waitFor(15), serve.err());
            return answer.body();
        }
    }

    /** The command's classes (this test's), packed in a jar at {@code jar}, as a built agent-chat has them. */
    private static Path commandJar(Path jar) throws Exception {
        Path classes = Path.of(AgentChat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.createDirectories(jar.getParent());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void serveOnABusyPortFailsWithOneLine() throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "-p", "pw", "--port", Integer.toString(room.port()))) {
            assertEquals(ExitCodes.FAILURE, serve.waitFor(30));
            assertTrue(serve.err().startsWith("❌ Cannot listen on 0.0.0.0:" + room.port()), serve.err());
            assertEquals(1, serve.err().lines().count(), serve.err());
        }
    }

    @Test
    void serveOnAnAddressThisMachineDoesNotHaveSaysWhyInOneLine() throws Exception {
        // 192.0.2.1 is a documentation address: no machine has it
        try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "-p", "pw", "--port", "0", "--host", "192.0.2.1")) {
            assertEquals(ExitCodes.FAILURE, serve.waitFor(30));
            assertTrue(serve.err().startsWith("❌ Cannot start the room: "), serve.err());
            assertTrue(serve.err().contains("address") && serve.err().contains("(192.0.2.1:0)"), serve.err());
            assertEquals(1, serve.err().lines().count(), serve.err());
        }
    }

    @Test
    void serveWithASettingNotOfItsKindIsAUsageErrorNamingIt() throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of(), null, "serve", "-p", "pw", "--port", "0",
            "-D", "agent-chat.limits.streams-total=lots")) {
            assertEquals(ExitCodes.USAGE, serve.waitFor(30));
            assertEquals("❌ Invalid setting agent-chat.limits.streams-total='lots': expected a whole number from 0 to 2147483647\n",
                serve.err());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-D agent-chat.max-histroy=5|Unknown setting agent-chat.max-histroy: did you mean agent-chat.max-history?",
        "-D agent-chat.no-such-key=5|Unknown setting agent-chat.no-such-key: the settings are in docs/operations.md and docs/limits.md",
        "-D agent-chat.memory.low-heap=0%|Invalid setting agent-chat.memory.low-heap='0%': expected a share of the heap above 0% and at most 100%",
        "-D agent-chat.memory.low-heap=150%|Invalid setting agent-chat.memory.low-heap='150%': expected a share of the heap above 0% and at most 100%",
        "-D micronaut.server.max-request-size=abc|Invalid setting micronaut.server.max-request-size='abc': expected a whole number",
        "-D agent-chat.max-history=0|Invalid setting agent-chat.max-history='0': expected at least 1",
        "--redis redis://:s3cret-pw@localhost:1/x|Invalid setting agent-chat.redis-url='redis://:***@localhost:1/x': expected a Redis URL whose path, if it has one, is a database number, such as redis://localhost:6379/0"})
    void serveWithASettingItCannotTakeSaysWhichInOneLineAndIsAUsageError(String flag, String message) throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of(), null, serve(flag.split(" ")))) {
            assertEquals(ExitCodes.USAGE, serve.waitFor(30), serve.err());
            assertEquals("❌ " + message + "\n", serve.err());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-Dagent-chat.max-histroy=5||Unknown setting agent-chat.max-histroy: did you mean agent-chat.max-history?",
        "-Dagent-chat.no-such-key=5||Unknown setting agent-chat.no-such-key: the settings are in docs/operations.md and docs/limits.md",
        "-Dagent-chat.topic=TOO_LONG||agent-chat.topic is 501 characters; a topic takes at most 500",
        "|-D agent-chat.topic=TOO_LONG|agent-chat.topic is 501 characters; a topic takes at most 500"})
    void serveRefusesASettingItCannotTakeGivenAsAJvmPropertyOrWithDLikeAnyOther(String jvm, String flags, String message)
        throws Exception {
        String tooLong = "x".repeat(RoomTopics.MAX_LENGTH + 1);
        List<String> jvmOptions = jvm == null ? List.of() : List.of(jvm.replace("TOO_LONG", tooLong));
        String[] args = serve(flags == null ? new String[0] : flags.replace("TOO_LONG", tooLong).split(" "));
        try (CliProcess serve = CliProcess.startInJvm(jvmOptions, Map.of(), args)) {
            serve.closeStdin();
            assertEquals(ExitCodes.USAGE, serve.waitFor(30), serve.err());
            assertEquals("❌ " + message + "\n", serve.err());
        }
    }

    @Test
    void serveRefusesATooLongTopicFromTheEnvironment() throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of("AGENT_CHAT_TOPIC", "x".repeat(RoomTopics.MAX_LENGTH + 1)), null,
            serve())) {
            assertEquals(ExitCodes.USAGE, serve.waitFor(30), serve.err());
            assertEquals("❌ agent-chat.topic is 501 characters; a topic takes at most 500\n", serve.err());
        }
    }

    @Test
    void serveGivenAPasswordKeepsItWhateverTheClientsVariablesSayAndWarnsOfAnUnknownVariableWithoutRefusingIt() throws Exception {
        Map<String, String> env = Map.of("AGENT_CHAT_URL", "http://elsewhere.example:1234", "AGENT_CHAT_NAME", "coder",
            "AGENT_CHAT_PASSWORD", "the-other-rooms", "AGENT_CHAT_MAX_HISTROY", "5", "AGENT_CHAT_BIN_DIR", "/nowhere");
        try (CliProcess serve = CliProcess.start(env, null, "serve", "-p", "s3cret", "--port", "0", "--host", "127.0.0.1")) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            Matcher api = API.matcher(serve.out());
            assertTrue(api.find(), serve.out());
            String url = api.group(1);
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            HttpClient http = HttpClient.newHttpClient();
            for (String password : List.of("s3cret", "the-other-rooms")) {
                HttpResponse<String> room = http.send(HttpRequest.newBuilder(URI.create(url + "/room"))
                    .header("X-Room-Password", password).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(password.equals("s3cret") ? 200 : 401, room.statusCode(), password + ": " + room.body());
            }
            assertTrue(serve.err().contains(
                "AGENT_CHAT_MAX_HISTROY names no setting and is not read: did you mean AGENT_CHAT_MAX_HISTORY?\n"), serve.err());
            assertEquals(1, serve.err().lines().filter(line -> line.contains("AGENT_CHAT_")).count(),
                "the variables agent-chat reads for itself are no mistake: " + serve.err());
            serve.terminate();
            assertEquals(0, serve.waitFor(15), serve.err());
        }
    }

    @Test
    void serveBoundToLoopbackWarnsThatItsInviteWorksOnThisMachineOnly() throws Exception {
        try (CliProcess serve = CliProcess.start(Map.of(), null, serve("--host", "127.0.0.1"))) {
            await().atMost(30, SECONDS).until(() -> serve.out().contains("Ctrl-C"));
            await().atMost(5, SECONDS).until(() -> serve.err().contains("⚠️ 127.0.0.1 reaches this room from this machine only:"
                + " for agents on other machines, serve on an address they can reach (--host) or through a tunnel (--tunnel cloudflared)\n"));
            serve.terminate();
            assertEquals(0, serve.waitFor(15), serve.err());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--tunnel-timeout 0|--tunnel-timeout must be more than 0, e.g. 30 or 2m",
        "--tunnel-timeout 0s|--tunnel-timeout must be more than 0, e.g. 30 or 2m",
        "--tunnel-timeout -5|Invalid value for option '--tunnel-timeout': '-5' is not a duration (seconds, or e.g. 5s, 2m, 1h)",
        "--no-rooms --open-rooms|--no-rooms and --open-rooms contradict each other: give one of them",
        "--topic TOO_LONG|--topic is 501 characters; a topic takes at most 500",
        "-D agent-chat.observer-password:secret|Invalid value for option '--set': expected KEY=VALUE, with '=' between the key and its value",
        "-D =5|-D/--set needs a key before '=': e.g. -D agent-chat.keepalive=5s"})
    void aServeFlagTheRoomCannotTakeIsAUsageErrorBeforeAnythingStarts(String flags, String message) throws Exception {
        String[] args = serve(flags.replace("TOO_LONG", "x".repeat(RoomTopics.MAX_LENGTH + 1)).split(" "));
        try (CliProcess serve = CliProcess.start(Map.of(), null, args)) {
            assertEquals(ExitCodes.USAGE, serve.waitFor(30), serve.err());
            assertTrue(serve.err().startsWith("❌ " + message + "\nUsage: agent-chat serve"), serve.err());
        }
    }

    /** {@code serve} on a free port with {@code more} arguments. */
    private static String[] serve(String... more) {
        List<String> args = new ArrayList<>(List.of("serve", "-p", "pw", "--port", "0"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void missingSubcommandPrintsUsageAndFails() throws Exception {
        try (CliProcess root = CliProcess.start(Map.of(), null)) {
            assertEquals(ExitCodes.USAGE, root.waitFor(30));
            assertTrue(root.out().contains("SKILL.md"), root.out());
        }
    }
}
