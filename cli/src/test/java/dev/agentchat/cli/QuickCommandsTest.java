package dev.agentchat.cli;

import dev.agentchat.cli.client.CursorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The quick path of the one-shot commands takes only plain command lines, and for those it does
 * what picocli does: same output, same errors, same exit codes, same cursors.
 */
class QuickCommandsTest {
    @TempDir
    static Path quickState;
    @TempDir
    static Path picocliState;
    static TestRoom room;
    static TestRoom picocliRoom;
    static CliRunner quick;
    static CliRunner picocli;

    @BeforeAll
    static void start() {
        room = TestRoom.start();
        picocliRoom = TestRoom.start();
        quick = new CliRunner(quickState);
        picocli = new CliRunner(picocliState);
    }

    @AfterAll
    static void stop() {
        room.close();
        picocliRoom.close();
    }

    private static String[] line(String... args) {
        return args;
    }

    private static String[] in(TestRoom room, String[] args) {
        List<String> line = new ArrayList<>(List.of(args));
        line.replaceAll(arg -> arg.replace("URL", room.url()));
        return line.toArray(String[]::new);
    }

    private static Integer quickly(String... args) {
        return QuickCommands.run(args, new CursorStore(quickState.resolve("probe")), Map.of(),
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void plainLinesAreTakenAndEverythingElseIsLeftToPicocli() {
        String url = room.url();
        assertNotNull(quickly("who", "-u", url, "-p", "pw"));
        assertNotNull(quickly("who", "--url=" + url, "--password", "pw", "--json"));
        assertNotNull(quickly("read", "-u", url, "-p", "pw", "-a", "probe", "--last", "0"));
        assertNotNull(quickly("send", "-u", url, "-p", "pw", "-a", "probe", "--to", "a,b", "--to", "c", "-m", "@@x (an escaped @)"));
        assertNotNull(quickly("send", "-u", url, "-p", "pw", "-a", "probe", "-m", "@nobody-has-this-file"));

        for (String[] line : List.of(
            new String[] {"who", "-u", url, "-p", "pw", "--help"},
            new String[] {"who", "-u", url, "-p", "pw", "-h"},
            new String[] {"who", "-u", url, "-p", "pw", "-V"},
            new String[] {"who", "-u", url, "-p", "pw", "extra"},
            new String[] {"who", "-u", url, "-p", "pw", "--json", "--json"},
            new String[] {"who", "-u", url, "-p", "pw", "--json=true"},
            new String[] {"who", "-u", url, "-ppw"},
            new String[] {"who", "-u", url, "-p"},
            new String[] {"who", "-u", url},
            new String[] {"who", "-u", "ftp://x", "-p", "pw"},
            new String[] {"who", "-u", url, "-p", "pw", "--", "x"},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "bad\u0001name", "-m", "x"},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "probe", "-m", "-x"},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "probe", "-m", " "},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "probe", "--reply-to", "twelve", "-m", "x"},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "probe", "--to", "no\u0001way", "-m", "x"},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "probe", "--to", "\"a,b\"", "-m", "x"},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "probe", "-m", "x", "-m", "y"},
            new String[] {"send", "-u", url, "-p", "pw", "-a", "probe", "--mentions", "-m", "x"},
            new String[] {"read", "-u", url, "-p", "pw", "-a", "probe", "--last", "-1"},
            new String[] {"read", "-u", url, "-p", "pw", "-a", "probe", "--last", "many"},
            new String[] {"wait", "-u", url, "-p", "pw", "-a", "probe", "--timeout", "soon"},
            new String[] {"listen", "-u", url, "-p", "pw"},
            new String[] {})) {
            assertNull(quickly(line), String.join(" ", line));
        }
    }

    @Test
    void anArgumentFilePicocliWouldExpandIsLeftToPicocli() throws Exception {
        Path file = Files.writeString(quickState.resolve("args.txt"), "-m from-a-file\n");

        assertNull(quickly("send", "-u", room.url(), "-p", "pw", "-a", "probe", "@" + file));
        assertNull(quickly("send", "-u", room.url(), "-p", "pw", "-a", "probe", "-m", "@" + file));
    }

    @Test
    void theQuickPathAndPicocliPrintTheSameInRoomsThatSawTheSame() {
        List<String[]> lines = List.of(
            line("who", "-u", "URL", "-p", "pw"),
            line("send", "-u", "URL", "-p", "pw", "-a", "ann", "-m", "first @bob"),
            line("send", "-u", "URL", "-p", "pw", "-a", "bob", "-m", "@@escaped and \"quoted\"\n\ttabbed"),
            line("who", "-u", "URL", "-p", "pw"),
            line("read", "-u", "URL", "-p", "pw", "-a", "bob"),
            line("read", "-u", "URL", "-p", "pw", "-a", "bob"),
            line("read", "-u", "URL", "-p", "pw", "-a", "ann", "--all", "--json"),
            line("read", "-u", "URL", "-p", "pw", "-a", "bob", "--mentions", "--last", "1"),
            line("wait", "-u", "URL", "-p", "pw", "-a", "bob", "--timeout", "100ms"),
            line("send", "-u", "URL", "-p", "bad", "-a", "ann", "-m", "x"),
            line("send", "-u", "http://127.0.0.1:1", "-p", "pw", "-a", "ann", "-m", "x"),
            line("send", "-u", "URL", "-p", "pw", "-a", "ann", "--reply-to", "#999", "-m", "x"),
            line("send", "-u", "URL", "-p", "pw", "-a", "ann", "--to", "nobody-here", "-m", "x"),
            line("send", "-u", "URL", "-p", "pw", "-a", "bad\u0001name", "-m", "x"),
            line("read", "-u", "URL", "-p", "pw", "-a", "ann", "--last", "-1"),
            line("who", "-u", "URL"));
        for (String[] args : lines) {
            CliRunner.Result viaPicocli = picocli.runThroughPicocli(in(picocliRoom, args));
            CliRunner.Result viaQuick = quick.run(in(room, args));
            String what = String.join(" ", args);
            assertEquals(viaPicocli.code(), viaQuick.code(), what);
            assertEquals(normalize(viaPicocli.out(), picocliRoom), normalize(viaQuick.out(), room), what);
            assertEquals(normalize(viaPicocli.err(), picocliRoom), normalize(viaQuick.err(), room), what);
        }
    }

    /** The same message posted twice has two ids, timestamps and (for who) times: compare the rest. */
    private static String normalize(String output, TestRoom room) {
        return output.replace(room.url(), "URL").replaceAll("#\\d+", "#N").replaceAll("\"id\":\\d+", "\"id\":N")
            .replaceAll("\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?", "T").replaceAll("\"timestamp\":\"[^\"]+\"", "\"timestamp\":T")
            .replaceAll("\"last_seen\":\"[^\"]+\"", "\"last_seen\":T");
    }
}
