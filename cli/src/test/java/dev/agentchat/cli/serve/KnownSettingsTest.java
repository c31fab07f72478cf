package dev.agentchat.cli.serve;

import dev.agentchat.system.DeclaredSettings;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every {@code agent-chat.*} key the code and the docs name is a setting the server knows, so that
 * {@code serve} never refuses a real one as unknown. The known ones are those
 * {@link DeclaredSettings} finds; a key named otherwise ({@code context.getProperty}, a serve flag's
 * property, a {@code @Requires}) must be declared there too.
 */
class KnownSettingsTest {
    private static final Pattern KEY = Pattern.compile("agent-chat\\.[a-z][a-z0-9.-]*[a-z0-9]");
    /** File names, which share the prefix: agent-chat.jar, openapi/agent-chat.yaml. */
    private static final Pattern NOT_A_SETTING = Pattern.compile(".*\\.(jar|jsa|yaml|sha256)");

    @Test
    void everyKeyTheCodeAndTheDocsNameIsAKnownSetting() throws IOException {
        Set<String> known;
        try (ApplicationContext context = ApplicationContext.builder().build()) {
            known = new DeclaredSettings(context).types().keySet();
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        Set<String> unknown = new TreeSet<>();
        for (Path file : files(root)) {
            for (String line : Files.readAllLines(file)) {
                if (line.contains("ATTRIBUTE =")) {
                    continue; // a request attribute's name
                }
                Matcher key = KEY.matcher(line);
                while (key.find()) {
                    String found = key.group();
                    boolean prefix = known.stream().anyMatch(k -> k.startsWith(found + "."));
                    if (!known.contains(found) && !prefix && !NOT_A_SETTING.matcher(found).matches()) {
                        unknown.add(found + " (" + root.relativize(file) + ")");
                    }
                }
            }
        }
        assertEquals(Set.of(), unknown);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> service = Files.walk(root.resolve("service/src/main/java"));
             Stream<Path> cli = Files.walk(root.resolve("cli/src/main/java"));
             Stream<Path> docs = Files.list(root.resolve("docs"))) {
            return Stream.of(service, cli, docs).flatMap(s -> s)
                .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
                .toList();
        }
    }
}
