package dev.agentchat.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The variables agent-chat reads for itself ({@link UnknownSettings#OWN_VARIABLES}) are those its code
 * and scripts name and no others: a variable read somewhere but missing from the list would be warned
 * about as naming no setting when it is set, and one left in the list after its reader went would keep
 * a misspelt setting's variable from being warned about.
 */
class OwnVariablesTest {
    private static final Pattern VARIABLE = Pattern.compile("AGENT_CHAT_[A-Z0-9_]*[A-Z0-9]");
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /**
     * Where agent-chat reads its environment: every module's code and build scripts, the launcher and the
     * CI script. Not the test kit, whose rooms hand test programs their own variables.
     */
    private static final List<Path> SCANNED = List.of(ROOT.resolve("agent-chat"), ROOT.resolve(".ci"));
    private static final Set<String> NOT_SCANNED = Set.of("target", "node_modules", "testkit", "test", ".git");

    @Test
    void theVariablesAgentChatReadsForItselfAreTheOnesItsCodeAndScriptsName() throws IOException {
        Set<String> settings = new TreeSet<>();
        try (ApplicationContext context = ApplicationContext.builder().build()) {
            new DeclaredSettings(context).types().keySet().forEach(key -> settings.add(UnknownSettings.variable(key)));
        }
        TreeMap<String, String> named = new TreeMap<>();
        for (Path file : sources()) {
            String text;
            try {
                text = Files.readString(file);
            } catch (MalformedInputException binary) {
                continue;
            }
            Matcher variable = VARIABLE.matcher(text);
            while (variable.find()) {
                if (!settings.contains(variable.group())) {
                    named.putIfAbsent(variable.group(), ROOT.relativize(file).toString());
                }
            }
        }
        assertEquals(new TreeSet<>(UnknownSettings.OWN_VARIABLES), named.keySet(), "named in " + named);
    }

    /** The files of {@link #SCANNED} and of every module's {@code src/main} and {@code src/build}, the list's own file aside. */
    private static List<Path> sources() throws IOException {
        Path list = ROOT.resolve("service/src/main/java/dev/agentchat/system/UnknownSettings.java");
        List<Path> folders = new ArrayList<>(SCANNED);
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (NOT_SCANNED.contains(String.valueOf(dir.getFileName()))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (dir.endsWith("src/main") || dir.endsWith("src/build")) {
                    folders.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<Path> files = new ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(Files::isRegularFile).filter(file -> !file.equals(list)).forEach(files::add);
            }
        }
        return files;
    }
}
