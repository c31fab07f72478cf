package dev.agentchat.cli.serve;

import dev.agentchat.hosting.RoomsSettings;
import dev.agentchat.limits.ClientAddresses;
import dev.agentchat.limits.LimitSettings;
import dev.agentchat.mcp.McpSettings;
import dev.agentchat.memory.MemorySettings;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.transport.DeadPeers;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every default a table in the docs states (a {@code default} column beside a property or a
 * {@code serve} flag) is the one the code defines: the settings records' {@code @Bindable} defaults,
 * the {@code @Value} defaults' constants, application.yml for Micronaut's settings, and
 * {@code serve}'s help for its flags. A default derived from the heap is documented as the share
 * it is defined as ({@code 25%} of the heap), the rule being in docs/limits.md.
 */
class DocumentedDefaultsTest {
    private static final Pattern PROPERTY = Pattern.compile("`((?:agent-chat|micronaut)\\.[a-z.-]+[a-z])`");
    private static final Pattern SHORT_PROPERTY = Pattern.compile("`…([a-z-]+)`");
    private static final Pattern FLAG = Pattern.compile("`(?:-\\w, )?(--[a-z][a-z-]*)");
    private static final Pattern RATE = Pattern.compile("(\\S+) at once, then one (?:more )?every ([^(]+).*");
    private static final Pattern HELP_DEFAULT = Pattern.compile("\\(default: ([^)]+)\\)");

    @Test
    void everyDocumentedDefaultIsTheDefinedOne() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<String, String> defined = definedDefaults();
        Set<String> checked = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (Path doc : docs(root)) {
            int defaultColumn = -1;
            for (String line : Files.readAllLines(doc)) {
                if (!line.startsWith("|")) {
                    defaultColumn = -1;
                    continue;
                }
                List<String> cells = cells(line);
                if (defaultColumn < 0) {
                    defaultColumn = cells.indexOf("default");
                    continue;
                }
                if (defaultColumn >= cells.size() || cells.get(defaultColumn).isEmpty()) {
                    continue;
                }
                String keys = String.join(" ", cells.subList(0, defaultColumn));
                Map<String, String> stated = stated(keys, cells.get(defaultColumn));
                for (Map.Entry<String, String> entry : stated.entrySet()) {
                    String key = entry.getKey();
                    String expected = defined.get(key);
                    if (expected == null && (key.startsWith("--") || entry.getValue().equals("none"))) {
                        continue; // a flag without a default of its own, or a setting that is off unless set
                    }
                    checked.add(key);
                    if (!entry.getValue().equals(expected)) {
                        wrong.add(root.relativize(doc) + ": " + key + " is documented as " + entry.getValue()
                            + " but defined as " + expected);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        for (String key : List.of("agent-chat.max-history", "agent-chat.limits.password-failure-refill",
            "agent-chat.dead-peer-timeout", "agent-chat.rooms.ttl", "agent-chat.memory.history-total", "micronaut.server.max-request-size",
            "--max-history", "--port", "--tunnel-timeout")) {
            assertTrue(checked.contains(key), key + " not found in the docs' tables: " + checked);
        }
    }

    /** What one table row states: its property (or two, for a rate) or flag, and the default. */
    private static Map<String, String> stated(String keys, String cell) {
        Map<String, String> stated = new HashMap<>();
        Matcher property = PROPERTY.matcher(keys);
        if (property.find()) {
            String name = property.group(1);
            Matcher rate = RATE.matcher(cell.replace("`", ""));
            Matcher second = SHORT_PROPERTY.matcher(keys);
            if (rate.matches() && second.find()) {
                stated.put(name, normalize(rate.group(1)));
                stated.put(name.substring(0, name.lastIndexOf('.') + 1) + second.group(1), normalize(rate.group(2)));
            } else {
                stated.put(name, normalize(cell));
            }
            return stated;
        }
        Matcher flag = FLAG.matcher(keys);
        if (flag.find()) {
            stated.put(flag.group(1), normalize(cell));
        }
        return stated;
    }

    /** {@code 65536 (64 KiB)} is 65536, {@code 60 s} is 60s, {@code env `X`} is env X. */
    private static String normalize(String text) {
        String value = text.replace("`", "").replaceAll("\\s*\\(.*\\)$", "").trim();
        return value.replaceAll("^(\\d+) (ms|s|m|h)$", "$1$2");
    }

    private static Map<String, String> definedDefaults() {
        Map<String, String> defaults = new HashMap<>();
        for (Class<?> settings : List.of(RoomSettings.class, RoomsSettings.class, LimitSettings.class,
            McpSettings.class, MemorySettings.class, dev.agentchat.names.NameSettings.class)) {
            String prefix = settings.getAnnotation(ConfigurationProperties.class).value() + ".";
            for (RecordComponent component : settings.getRecordComponents()) {
                Bindable bindable = component.getAccessor().getAnnotation(Bindable.class);
                if (bindable != null) {
                    defaults.put(prefix + kebab(component.getName()), bindable.defaultValue());
                }
            }
        }
        defaults.put("agent-chat.trust-proxy", ClientAddresses.DEFAULT_TRUST_PROXY);
        defaults.put("agent-chat.dead-peer-timeout", DeadPeers.DEFAULT_TIMEOUT);
        flatten("", applicationYml(), defaults);
        for (OptionSpec option : new CommandLine(new ServeCommand()).getCommandSpec().options()) {
            String value = option.defaultValue();
            if (value == null) {
                Matcher help = HELP_DEFAULT.matcher(String.join(" ", option.description()));
                value = help.find() ? help.group(1) : null;
            }
            if (value != null) {
                defaults.put(option.longestName(), value.replaceAll("^\\$\\{env:(\\w+)}$", "env $1"));
            }
        }
        return defaults;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> yaml, Map<String, String> into) {
        yaml.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map) {
                flatten(prefix + key + ".", (Map<String, Object>) map, into);
            } else {
                into.put(prefix + key, String.valueOf(value));
            }
        });
    }

    private static Map<String, Object> applicationYml() {
        try (InputStream in = RoomSettings.class.getResourceAsStream("/application.yml")) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> docs(Path root) throws IOException {
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("SKILL.md"),
            root.resolve("cli/README.md"), root.resolve("service/README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }
}
