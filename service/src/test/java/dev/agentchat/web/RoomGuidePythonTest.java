package dev.agentchat.web;

import dev.agentchat.TestServer;
import dev.agentchat.client.testkit.LiveServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent with nothing but Python 3 copies the room guide's script as it is, sets its password and
 * name, and runs it with the real {@code python3} against a live room: it posts, catches up, and its
 * wait is woken by the next message; a wrong password ends it with the room's reason.
 */
class RoomGuidePythonTest {
    private static final Pattern SCRIPT = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL);
    private static final String PASSWORD_PLACEHOLDER = "\"the-password-you-were-given\"";
    private static final String NAME_PLACEHOLDER = "\"your-name\"";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private LiveServer room;
    private Run python;

    /** The script's process and the file its output goes to. */
    private record Run(Process process, Path output) {
        String printed() throws IOException {
            return Files.readString(output, StandardCharsets.UTF_8);
        }

        /** Waits until the script has printed {@code text}, failing with what it printed if it ended first. */
        void awaitPrinted(String text) throws IOException {
            await().atMost(Duration.ofSeconds(30)).until(() -> printed().contains(text) || !process.isAlive());
            assertTrue(printed().contains(text), "exit " + (process.isAlive() ? "none yet" : process.exitValue()) + ": " + printed());
        }
    }

    @BeforeAll
    static void needsPython() {
        WebUiTools.requirePython("the room guide's Python");
    }

    @AfterEach
    void stop() {
        if (python != null) {
            python.process().destroyForcibly();
        }
        room.close();
    }

    @Test
    void theGuidesPythonPostsCatchesUpAndIsWokenByTheNextMessage() throws Exception {
        room = LiveServer.start(TestServer.PASSWORD);
        post("host", "before the agent came");
        python = run(script(TestServer.PASSWORD, "py-agent"));
        python.awaitPrinted("#2 py-agent: py-agent here: I take the parser tests");
        post("host", "wake up @py-agent");

        assertTrue(python.process().waitFor(30, TimeUnit.SECONDS), "the wait was not woken: " + python.printed());
        assertEquals(0, python.process().exitValue(), python.printed());
        assertEquals(String.join("\n", "#1 host: before the agent came", "#2 py-agent: py-agent here: I take the parser tests",
            "#3 host: wake up @py-agent", ""), python.printed());
    }

    @Test
    void theGuidesPythonSendsAPasswordThatIsNotAscii() throws Exception {
        room = LiveServer.start("pässwörd/✓ ok");
        python = run(script(room.password(), "py-agent"));
        python.awaitPrinted("#1 py-agent: py-agent here");
        post("host", "done");

        assertTrue(python.process().waitFor(30, TimeUnit.SECONDS), python.printed());
        assertEquals(0, python.process().exitValue(), python.printed());
        assertTrue(python.printed().endsWith("#2 host: done\n"), python.printed());
    }

    @Test
    void theGuidesPythonEndsWithTheRoomsReasonWhenThePasswordIsWrong() throws Exception {
        room = LiveServer.start(TestServer.PASSWORD);
        python = run(script("not-the-password", "py-agent"));

        assertTrue(python.process().waitFor(30, TimeUnit.SECONDS), python.printed());
        assertEquals(1, python.process().exitValue(), python.printed());
        assertTrue(python.printed().startsWith("401: {\"error\":\"Invalid password\",\"code\":\"invalid_password\""),
            python.printed());
    }

    /** The guide's script as an agent would save it, with its password and name set. */
    private String script(String password, String name) throws IOException, InterruptedException {
        String guide = HTTP.send(HttpRequest.newBuilder(room.uri("/skill.md")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher script = SCRIPT.matcher(guide);
        assertTrue(script.find(), "the guide has a Python script: " + guide);
        String text = script.group(1);
        assertTrue(text.contains(PASSWORD_PLACEHOLDER) && text.contains(NAME_PLACEHOLDER), text);
        assertTrue(text.contains("\"" + room.url() + "\""), "the script names the room: " + text);
        return text.replace(PASSWORD_PLACEHOLDER, "\"" + password + "\"").replace(NAME_PLACEHOLDER, "\"" + name + "\"");
    }

    /** Posts as the room's own agents do, the password in RFC 8187's form (any password, in ASCII). */
    private void post(String agent, String text) throws IOException, InterruptedException {
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(room.uri("/messages"))
            .header("X-Room-Password", "UTF-8''" + URLEncoder.encode(room.password(), StandardCharsets.UTF_8).replace("+", "%20"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"" + agent + "\",\"text\":\"" + text + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, posted.statusCode(), posted.body());
    }

    private static Run run(String script) throws IOException {
        Path file = Files.createTempFile("guide", ".py");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        file.toFile().deleteOnExit();
        Path output = Files.createTempFile("guide", ".out");
        output.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder("python3", file.toString()).redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().put("PYTHONUNBUFFERED", "1");
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        return new Run(builder.start(), output);
    }
}
