package dev.agentchat.web;

import dev.agentchat.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent with nothing but curl copies the commands of the room's guide as they are: each one runs
 * with the real {@code curl} against a live room and gets no error.
 */
class RoomGuideCommandsTest {
    private static final Pattern INLINE = Pattern.compile("`(curl -sS [^`]+)`");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern CLAIM = Pattern.compile("\"id\":\"(c-[^\"]+)\"");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        // the guide's examples name message 12
        for (int i = 1; i <= 12; i++) {
            server.send(server.authed("/messages").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"host\",\"text\":\"message " + i + "\"}")).build());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The commands an agent would copy: each {@code curl -sS} of a code block or of inline code, not the live stream. */
    static List<String> commands(String guide) {
        List<String> commands = new ArrayList<>();
        String[] lines = guide.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith("curl -sS ")) { // a code block of its own or one inside a list item
                StringBuilder command = new StringBuilder(lines[i].strip());
                while (command.toString().endsWith("\\") && i + 1 < lines.length) {
                    command.setLength(command.length() - 1);
                    command.append(' ').append(lines[++i].strip());
                }
                commands.add(command.toString());
            }
            Matcher inline = INLINE.matcher(lines[i]);
            while (inline.find()) {
                commands.add(inline.group(1));
            }
        }
        commands.removeIf(command -> command.startsWith("curl -sSN "));
        return commands;
    }

    @Test
    void everyCurlCommandOfTheGuideWorksAsWritten() throws IOException, InterruptedException {
        String guide = server.get("/skill.md").body();
        List<String> commands = commands(guide);
        assertTrue(commands.size() >= 9, "the guide's commands were found: " + commands);
        assertTrue(commands.stream().anyMatch(command -> command.contains("-X DELETE \"$ROOM/claims/CLAIM_ID")),
            "the guide shows how to release a claim: " + commands);
        Path dir = Files.createTempDirectory("guide");
        String token = null;
        String claim = null;
        for (String command : commands) {
            String runnable = command.replace("after=NEXT", "after=0").replace("after=N\"", "after=0\"")
                .replace("before=ID", "before=5");
            if (claim != null) {
                runnable = runnable.replace("CLAIM_ID", claim);
            }
            if (token != null) {
                // as the guide says: once the name is claimed, its token instead of the password
                runnable = runnable.replace("-H \"X-Room-Password: $PASS\"", "-H \"Authorization: Bearer " + token + "\"");
            }
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", runnable).directory(dir.toFile())
                .redirectErrorStream(true);
            builder.environment().putAll(Map.of("ROOM", server.live().url(), "PASS", TestServer.PASSWORD, "NAME", "coder"));
            Process curl = builder.start();
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS), command);
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, curl.exitValue(), command + "\n" + output);
            assertFalse(output.contains("\"code\":"), command + "\n" + output);
            Matcher claimed = TOKEN.matcher(output);
            if (claimed.find()) {
                token = claimed.group(1);
            }
            Matcher taken = CLAIM.matcher(output);
            if (taken.find()) {
                claim = taken.group(1);
            }
        }
    }
}
