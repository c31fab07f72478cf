package dev.agentchat.cli.tunnel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Finds programs on PATH or in the user's agent-chat bin directory. */
public final class Executables {
    private final Map<String, String> environment;

    public Executables(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The user's agent-chat bin directory: {@code $AGENT_CHAT_BIN_DIR}, else
     * {@code $XDG_DATA_HOME/agent-chat/bin}, else {@code ~/.local/share/agent-chat/bin}.
     */
    public Path binDirectory() {
        String explicit = environment.get("AGENT_CHAT_BIN_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String data = environment.get("XDG_DATA_HOME");
        Path base = data != null && !data.isBlank() ? Path.of(data) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("agent-chat").resolve("bin");
    }

    /** {@code program} from PATH, else from the bin directory. */
    public Optional<Path> find(String program) {
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Optional<Path> found = executable(Path.of(dir), program);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return executable(binDirectory(), program);
    }

    private static Optional<Path> executable(Path dir, String program) {
        for (String name : windows() ? new String[] {program + ".exe", program} : new String[] {program}) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
