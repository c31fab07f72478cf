package dev.agentchat.cli.client;

import dev.agentchat.cli.json.Json;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The tokens of the names this user's agents hold, one small JSON file per room and name beside the
 * read cursors ({@code $XDG_STATE_HOME/agent-chat/names}), readable by the user alone: a restarted
 * agent keeps its name.
 *
 * <p>Each token is saved with the room's identity ({@code room_id}, {@link RoomIdentity}), and found
 * again under any other URL of the same room: {@code localhost} one time and this machine's address the
 * next, a tunnel's new address, another instance sharing the room's Redis. A token is never offered to
 * a room of another identity. (Tokens saved before identities are found again only under another
 * address of this machine, at the same port and path.) A token is kept with a check of the password it
 * was claimed with (so a wrong password is not hidden by a good token), and is claimed by one command at
 * a time ({@link #claiming}), so commands started together do not race for their own name.
 */
public final class NameTokens {
    private final StateFiles files;

    /**
     * A saved token: {@code exact} when saved under this very URL, {@code samePassword} when claimed
     * with this password; {@code roomId} the identity of the room it was saved for, when known.
     */
    public record Saved(String token, boolean exact, boolean samePassword, @Nullable String roomId) {
    }

    public NameTokens(Path dir) {
        this.files = new StateFiles(dir, "name's token");
    }

    /**
     * The token saved for {@code agent} in this room: under its URL, or under another URL of the room
     * whose identity {@code roomId} tells (asked for only when a token saved elsewhere could be this room's).
     */
    public Optional<Saved> load(RoomAddress room, String agent, String password, Supplier<Optional<String>> roomId) {
        Optional<Saved> exact = files.read(file(room, agent)).flatMap(node -> saved(node, agent, password, true));
        return exact.isPresent() ? exact : savedElsewhere(room, agent, roomId).values().stream().findFirst()
            .flatMap(node -> saved(node, agent, password, false));
    }

    /** The token alone, as {@link #load} finds it. */
    public Optional<String> load(RoomAddress room, String agent, Supplier<Optional<String>> roomId) {
        return load(room, agent, "", roomId).map(Saved::token);
    }

    public void save(RoomAddress room, String agent, String token, String password, @Nullable String roomId) {
        Json.ObjectWriter node = Json.object().put("url", room.toString()).put("agent", agent).put("token", token)
            .put("password_check", check(token, password));
        if (roomId != null) {
            node.put(RoomIdentity.FIELD, roomId);
        }
        files.write(file(room, agent), node);
    }

    public void delete(RoomAddress room, String agent) {
        files.delete(file(room, agent));
    }

    /** Deletes every token saved for {@code agent} in this room, under its URL or another URL of the room. */
    public void forget(RoomAddress room, String agent, Supplier<Optional<String>> roomId) {
        delete(room, agent);
        savedElsewhere(room, agent, roomId).keySet().forEach(files::delete);
    }

    /**
     * Runs {@code claim} while no other command of this user claims {@code agent}: a command that
     * starts while another is claiming the name waits, then finds its token saved.
     */
    public <T> T claiming(String agent, Supplier<T> claim) {
        String key = agent.toLowerCase(Locale.ROOT);
        Path lock = files.file(key, key, ".lock");
        synchronized (NameTokens.class) {
            try {
                Files.createDirectories(lock.getParent());
                try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock held = channel.lock()) {
                    return claim.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock " + lock + ": " + e.getMessage(), e);
            }
        }
    }

    /** One file per room and name; names compare case-insensitively, as the server's do, and so do hosts. */
    Path file(RoomAddress room, String agent) {
        String key = agent.toLowerCase(Locale.ROOT);
        return files.file(room.keyHost() + "-" + room.base().getPort() + "-" + key, room.key() + "\n" + key);
    }

    /** The token {@code node} keeps for {@code agent}, if it keeps one for it. */
    private Optional<Saved> saved(Map<?, ?> node, String agent, String password, boolean exact) {
        if (!(node.get("token") instanceof String token)
            || !(node.get("agent") instanceof String saved && saved.equalsIgnoreCase(agent))) {
            return Optional.empty();
        }
        return Optional.of(new Saved(token, exact, check(token, password).equals(node.get("password_check")),
            node.get(RoomIdentity.FIELD) instanceof String id ? id : null));
    }

    /**
     * The files, with what they keep, of the tokens saved for {@code agent} under other URLs of this
     * room: saved with its identity, or, saved before identities, under another address of this
     * machine at the same port and path (also the host written in other letter case, as files saved
     * before their keys had it in lower case are).
     */
    private Map<Path, Map<?, ?>> savedElsewhere(RoomAddress room, String agent, Supplier<Optional<String>> roomId) {
        Path exact = file(room, agent);
        Map<Path, Map<?, ?>> found = new LinkedHashMap<>();
        files.all().forEach((file, node) -> {
            if (file.equals(exact) || !(node.get("url") instanceof String url) || saved(node, agent, "", false).isEmpty()) {
                return;
            }
            boolean sameRoom = node.get(RoomIdentity.FIELD) instanceof String id
                ? roomId.get().filter(id::equals).isPresent()
                : sameMachine(room, url);
            if (sameRoom) {
                found.put(file, node);
            }
        });
        return found;
    }

    /** Whether {@code url} is another address of this machine's server at {@code room}'s port and path. */
    private static boolean sameMachine(RoomAddress room, String url) {
        URI other;
        try {
            other = RoomAddress.parse(url).base();
        } catch (IllegalArgumentException e) {
            return false;
        }
        URI base = room.base();
        if (!base.getScheme().equals(other.getScheme()) || port(base) != port(other)
            || !String.valueOf(base.getRawPath()).equals(String.valueOf(other.getRawPath()))) {
            return false;
        }
        if (base.getHost().equalsIgnoreCase(other.getHost())) {
            return true; // host names are case-insensitive
        }
        Set<InetAddress> mine = addresses(base.getHost());
        Set<InetAddress> theirs = addresses(other.getHost());
        return !mine.isEmpty() && !theirs.isEmpty()
            && mine.stream().allMatch(NameTokens::local) && theirs.stream().allMatch(NameTokens::local);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    }

    private static Set<InetAddress> addresses(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).collect(Collectors.toSet());
        } catch (UnknownHostException | SecurityException e) {
            return Set.of();
        }
    }

    /** An address of this machine: loopback, or one of its interfaces'. */
    private static boolean local(InetAddress address) {
        try {
            return address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** What tells whether a token was claimed with {@code password}, without keeping the password. */
    private static String check(String token, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(token.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(password.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
