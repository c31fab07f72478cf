package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The tokens of the names this user's agents hold, one small JSON file per room and name beside the
 * read cursors ({@code $XDG_STATE_HOME/agent-chat/names}), readable by the user alone: a restarted
 * agent keeps its name.
 */
public final class NameTokens {
    private final StateFiles files;

    public NameTokens(Path dir) {
        this.files = new StateFiles(dir, "name's token");
    }

    public Optional<String> load(RoomAddress room, String agent) {
        return files.read(file(room, agent)).map(node -> node.get("token"))
            .filter(String.class::isInstance).map(String.class::cast);
    }

    public void save(RoomAddress room, String agent, String token) {
        files.write(file(room, agent), Json.object().put("url", room.toString()).put("agent", agent).put("token", token));
    }

    public void delete(RoomAddress room, String agent) {
        files.delete(file(room, agent));
    }

    /** One file per room and name; names compare case-insensitively, as the server's do. */
    Path file(RoomAddress room, String agent) {
        String key = agent.toLowerCase(Locale.ROOT);
        return files.file(room.base().getHost() + "-" + room.base().getPort() + "-" + key, room + "\n" + key);
    }
}
