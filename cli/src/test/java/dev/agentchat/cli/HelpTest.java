package dev.agentchat.cli;

import dev.agentchat.cli.errors.ExitCodes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelpTest {
    @TempDir
    static Path state;
    static CliRunner cli;

    @BeforeAll
    static void start() {
        cli = new CliRunner(state);
    }

    @AfterAll
    static void stop() {
        cli.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "send", "listen", "join", "read", "wait", "search", "export", "topic", "brake", "who"})
    void everyCommandHasHelpWithExamplesAndExitCodes(String command) {
        CliRunner.Result result = cli.run(command, "--help");

        assertEquals(0, result.code());
        assertTrue(result.out().contains("Usage: agent-chat " + command), result.out());
        assertTrue(result.out().contains("Examples:\n  agent-chat " + command), result.out());
        assertTrue(result.out().contains("Exit codes:\n  0  success"), result.out());
        assertTrue(result.out().contains("  4  wait: no message before --timeout"), result.out());
    }

    @Test
    void helpAloneIsTheUsageAndHelpWithACommandIsThatCommandsHelp() {
        CliRunner.Result all = cli.run("help");
        CliRunner.Result send = cli.run("help", "send");

        assertEquals(0, all.code(), all.err());
        assertEquals(cli.run("--help").out(), all.out());
        assertEquals(0, send.code(), send.err());
        assertEquals(cli.run("send", "--help").out(), send.out());
    }

    @Test
    void helpWithAWordThatIsNoCommandSaysWhatTheMistypedCommandSays() {
        CliRunner.Result result = cli.run("help", "sned");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertEquals(cli.run("sned").err(), result.err());
        assertTrue(result.err().startsWith("❌ Unknown command 'sned'\nDid you mean: agent-chat send?\n"), result.err());
    }

    @Test
    void theExitCodesSayThatAServeThatCannotStartExitsOne() throws java.io.IOException {
        // serve's start-up failures (the port in use, an address it cannot bind) exit 1: ProcessTest
        String help = cli.run("serve", "--help").out().replaceAll("\\s+", " ");
        String exitOne = help.substring(help.indexOf(" 1 the server refused"), help.indexOf(" 2 a client-side mistake"));
        assertTrue(exitOne.contains("serve could not start"), exitOne);

        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        String row = readme.lines().filter(line -> line.startsWith("| 1 |")).findFirst().orElseThrow();
        assertTrue(row.contains("`serve` could not start") && row.contains("Cannot listen on") && row.contains("--host"), row);
    }

    @Test
    void theHelpsExitCodesAreTheReadmesTableWithoutItsExamples() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("| exit code | meaning |"));
        java.util.Map<Integer, String> documented = new java.util.LinkedHashMap<>();
        for (String row : table.lines().skip(2).takeWhile(line -> line.startsWith("|")).toList()) {
            String[] cells = row.split("\\|", 3);
            String meaning = cells[2].substring(0, cells[2].lastIndexOf('|'));
            documented.put(Integer.valueOf(cells[1].strip()), withoutExamples(meaning));
        }
        String help = cli.run("claim", "--help").out().replaceAll("\\s+", " ");

        assertEquals(ExitCodes.meanings(), documented);
        assertTrue(help.contains(ExitCodes.HELP.replaceAll("\\s+", " ")), help);
        assertTrue(help.contains(" 2 a client-side mistake") && help.contains("a claim --ttl longer than the room allows 3 "), help);
    }

    /** A row of the README's table of exit codes without its examples: what is in parentheses, and the backticks. */
    private static String withoutExamples(String meaning) {
        StringBuilder words = new StringBuilder();
        int depth = 0;
        for (char c : meaning.replace("`", "").toCharArray()) {
            if (c == '(') {
                if (depth++ == 0 && !words.isEmpty() && words.charAt(words.length() - 1) == ' ') {
                    words.setLength(words.length() - 1);
                }
            } else if (c == ')') {
                depth--;
            } else if (depth == 0) {
                words.append(c);
            }
        }
        return words.toString().strip();
    }

    @Test
    void rootHelpListsTheCommandsAndPointsAgentsToTheSkillGuide() {
        CliRunner.Result result = cli.run("--help");

        assertEquals(0, result.code());
        assertTrue(result.out().contains("SKILL.md"), result.out());
        for (String command : new String[] {"serve", "send", "listen", "join", "read", "wait", "search", "export", "topic", "who"}) {
            assertTrue(result.out().contains("\n  " + command + " "), command);
        }
        assertTrue(result.out().contains("AGENT_CHAT_URL, AGENT_CHAT_PASSWORD and AGENT_CHAT_NAME"), result.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "send -V", "listen --version"})
    void versionIsPrintedByTheToolAndEachCommand(String args) {
        CliRunner.Result result = cli.run(args.split(" "));

        assertEquals(0, result.code());
        assertTrue(result.out().matches("agent-chat \\d+\\.\\d+\\.\\d+\\S*\\s*"), result.out());
    }

    @Test
    void serveNamesTheTunnelsItTakesInLowerCaseAsTheDocsDo() {
        CliRunner.Result result = cli.run("serve", "-p", "pw", "--tunnel", "foo");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().contains("expected one of [cloudflared, ngrok]"), result.err());
    }

    @Test
    void serveWithAnEmptyPasswordSaysItIsEmptyRatherThanMissing() {
        CliRunner.Result result = cli.run("serve", "--password", "", "--port", "0");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ --password is empty: give the room a password\n"), result.err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRunner.Result result = cli.run("sned", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code());
        assertEquals("❌ Unknown command 'sned'", result.err().lines().findFirst().orElse(""), result.err());
        assertTrue(result.err().contains("Usage: agent-chat"), result.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sned|agent-chat send", "wiat|agent-chat wait", "raed|agent-chat read", "kcik|agent-chat kick",
        "lisen|agent-chat listen", "Send|agent-chat send", "rom|agent-chat room", "sen|agent-chat send or agent-chat seen"})
    void aMistypedCommandIsAnsweredWithTheClosestCommandsSwappedLettersIncluded(String typed, String meant) {
        CliRunner.Result result = cli.run(typed, "-u", "http://localhost:1", "-p", "s3cret-pw");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertEquals("Did you mean: " + meant + "?", result.err().lines().skip(1).findFirst().orElse(""), result.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "read --lsat 3|--last", "send --reply_to=4 -m hi|--reply-to", "wait --timeuot 5|--timeout",
        "serve --passwrod s3cret-pw|--password"})
    void aMistypedLongOptionIsAnsweredWithTheClosestOptionOfItsCommand(String command, String meant) {
        CliRunner.Result result = cli.run(command.split(" "));

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertEquals("Did you mean: " + meant + "?", result.err().lines().skip(1).findFirst().orElse(""), result.err());
        assertFalse(result.err().contains("s3cret-pw"), result.err());
    }

    @Test
    void aWordFarFromEveryCommandGetsNoSuggestion() {
        CliRunner.Result result = cli.run("greetings", "-m", "x");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertFalse(result.err().contains("Did you mean"), result.err());
    }

    @Test
    void anAbbreviationThatFitsTwoOptionsIsAUsageError() {
        CliRunner.Result result = cli.run("read", "-u", "http://localhost:1", "-p", "x", "--a", "me");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().contains("--a") && result.err().contains("--agent-name") && result.err().contains("--all"),
            result.err());
    }

    @Test
    void unknownTransportIsAUsageError() {
        CliRunner.Result result = cli.run("listen", "-u", "http://localhost:1", "-p", "x", "--transport", "pigeon");

        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().startsWith("❌ Invalid value for option '--transport'"), result.err());
    }

    @ParameterizedTest
    @CsvSource({"--max-message-bytes,-5,--max-message-bytes must be at least 1",
        "--max-history,0,--max-history must be at least 1",
        "--max-agent-turns,-1,--max-agent-turns must be 0 (off) or more",
        "--port,70000,Invalid port 70000: expected 0 to 65535",
        "--room-ttl,0s,--room-ttl must be at least 1m",
        "--room-ttl,59s,--room-ttl must be at least 1m",
        "--redis,notaurl,--redis must be a Redis URL such as redis://localhost:6379 (or rediss:// for TLS)",
        "--redis,http://localhost:6379,--redis must be a Redis URL such as redis://localhost:6379 (or rediss:// for TLS)"})
    void aServeSettingOutOfRangeIsAUsageErrorBeforeAnythingStarts(String option, String value, String message) {
        CliRunner.Result result = cli.run("serve", "-p", "pw", option, value);

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertTrue(result.err().startsWith("❌ " + message + "\n"), result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-", "-=", "--=", "-=x", ""})
    void anArgumentWithNoNameAfterItsDashesIsAUsageErrorThatNeverRepeatsThePassword(String argument) {
        for (String[] command : new String[][] {
            {"send", "-u", "http://localhost:1", "-p", "s3cret-pw", "-a", "zz", "-m", "hi", argument},
            {"read", argument, "-u", "http://localhost:1", "-p", "s3cret-pw", "-a", "zz"},
            {"rooms", argument, "-u", "http://localhost:1", "--host-key", "s3cret-pw"}}) {
            CliRunner.Result result = cli.run(command);

            assertEquals(ExitCodes.USAGE, result.code(), String.join(" ", command) + ": " + result.err());
            assertTrue(result.err().startsWith("❌ ") && !result.err().contains("Exception")
                && !result.err().contains("s3cret-pw"), String.join(" ", command) + ": " + result.err());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sned -u http://localhost:1 -p s3cret-pw -m hi|Unknown command 'sned'",
        "reed --password=s3cret-pw|Unknown command 'reed'",
        "-p s3cret-pw send|Unknown options: '-p', '***'",
        "-ps3cret-pw send|Unknown option: '-p***'",
        "kik spammer --host-key s3cret-pw|Unknown command 'kik'",
        "rom design --pass s3cret-pw --observer-password s3cret-pw|Unknown command 'rom'",
        "send --pasword=s3cret-pw|Unknown option: '--pasword=***'",
        "read --lsat 3 -p s3cret-pw|Unknown options: '--lsat', '3'",
        "serve --passwrod s3cret-pw|Unknown options: '--passwrod', '***'",
        "kick spammer --host-kye s3cret-pw|Unknown options: '--host-kye', '***'"})
    void argumentsTheParserCouldNotMatchAreListedWithoutASecretsValue(String command, String message) {
        CliRunner.Result result = cli.run(command.split(" "));

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertEquals("❌ " + message, result.err().lines().findFirst().orElse(""), result.err());
        assertFalse(result.err().contains("s3cret-pw"), result.err());
    }

    @Test
    void aFailureOfTheArgumentParserItselfIsToldWithoutTheArguments() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine commandLine = new picocli.CommandLine(new AgentChat()).setErr(new java.io.PrintWriter(err));
        String parserMessage = "IndexOutOfBoundsException: Index 1 out of bounds for length 1 while processing argument "
            + "at or before arg[1] '-' in [read, -, -p, s3cret-pw]: java.lang.IndexOutOfBoundsException: Index 1";

        int code = new ErrorHandler().handleParseException(new picocli.CommandLine.ParameterException(commandLine, parserMessage),
            new String[0]);

        assertEquals(ExitCodes.USAGE, code);
        assertEquals("❌ Cannot read the command's arguments (IndexOutOfBoundsException: Index 1 out of bounds for length 1)",
            err.toString().lines().findFirst().orElse(""), err.toString());
        assertTrue(!err.toString().contains("s3cret-pw"), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:1/rooms", "http://localhost:1/rooms/"})
    void aUrlThatEndsAtTheRoomsWithoutNamingOneIsAUsageError(String url) {
        for (String[] command : new String[][] {{"read", "-u", url, "-p", "x", "-a", "zed"},
            {"send", "-u", url, "-p", "x", "-a", "zed", "-m", "hi"}, {"kick", "zed", "-u", url, "--host-key", "k"}}) {
            CliRunner.Result result = cli.run(command);

            assertEquals(ExitCodes.USAGE, result.code(), result.err());
            assertTrue(result.err().startsWith("❌ --url http://localhost:1/rooms names no room: add the room's name "
                + "(http://localhost:1/rooms/NAME), or leave /rooms out for the server's own room\n"), result.err());
        }
    }

    @Test
    void anEmptyRecipientIsAUsageErrorNotDropped() {
        CliRunner.Result result = cli.run("send", "-u", "http://localhost:1", "-p", "x", "-a", "me", "--to", "", "-m", "hi");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertTrue(result.err().startsWith("❌ --to: Invalid name ''"), result.err());
    }

    @Test
    void moreRecipientsThanAMessageMayHaveIsAUsageErrorBeforeAnythingIsSent() {
        String names = String.join(",", java.util.stream.IntStream.range(0, 33).mapToObj(i -> "n" + i).toList());
        CliRunner.Result result = cli.run("send", "-u", "http://localhost:1", "-p", "x", "-a", "me", "--to", names, "-m", "hi");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertEquals("❌ --to: at most 32 names, not 33", result.err().lines().findFirst().orElse(""), result.err());
    }

    @Test
    void aClaimThatWouldEndAtOnceIsAUsageError() {
        CliRunner.Result result = cli.run("claim", "-u", "http://localhost:1", "-p", "x", "-a", "me", "src/**", "--ttl", "0");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertTrue(result.err().startsWith("❌ --ttl must be at least 1 s"), result.err());
    }

    @Test
    void aRoomTtlThatIsNotADurationIsAUsageError() {
        CliRunner.Result result = cli.run("serve", "-p", "pw", "--room-ttl", "20x");

        assertEquals(ExitCodes.USAGE, result.code(), result.err());
        assertTrue(result.err().startsWith("❌ Invalid value for option '--room-ttl': '20x' is not a duration"), result.err());
    }
}
