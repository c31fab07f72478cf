package dev.agentchat.cli.client;

import dev.agentchat.settings.Redaction;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a room is: an http(s) URL with a host, an optional port and an optional path (no query).
 *
 * @param base the URL without a trailing slash, e.g. {@code http://localhost:8765}
 */
public record RoomAddress(URI base) {
    /** Where a server's named rooms are: {@code /rooms/NAME}. */
    private static final String ROOMS = "/rooms";
    private static final Pattern NAMED_ROOM = Pattern.compile(ROOMS + "(/[^/]+)?$");
    private static final Pattern LINK_PASSWORD = Pattern.compile(Redaction.LINK_PASSWORD);

    /** @throws IllegalArgumentException with a readable message when {@code url} is not an http(s) URL */
    public static RoomAddress parse(String url) {
        String trimmed = url.trim();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalid(trimmed);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean web = scheme.equals("http") || scheme.equals("https");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        boolean userPassword = uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":");
        if (web && uri.getHost() != null && (userPassword || LINK_PASSWORD.matcher(trimmed).find())) {
            // the web UI's link, copied whole: its password is the room's, but never sent from a URL
            throw new IllegalArgumentException("Invalid URL '" + Redaction.urls(trimmed) + "': the password goes on its own (-p),"
                + " not in the URL; the room is " + scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + path);
        }
        if (!web || uri.getHost() == null || uri.getPort() > 65535 || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(trimmed);
        }
        return new RoomAddress(URI.create(scheme + "://" + uri.getRawAuthority() + path));
    }

    private static IllegalArgumentException invalid(String url) {
        return new IllegalArgumentException("Invalid URL '" + Redaction.urls(url)
            + "': expected http(s)://host[:port], e.g. http://localhost:8765");
    }

    /** Whether the address ends at the server's rooms ({@code /rooms}) without naming one. */
    public boolean namesNoRoom() {
        return base.getRawPath().endsWith(ROOMS);
    }

    /** The server this room is on: the address without a named room's {@code /rooms/NAME} (or the bare {@code /rooms}). */
    public RoomAddress server() {
        return new RoomAddress(URI.create(NAMED_ROOM.matcher(base.toString()).replaceFirst("")));
    }

    /** The named room {@code name} on this address's server. */
    public RoomAddress room(String name) {
        return new RoomAddress(URI.create(server().base + roomPath(name)));
    }

    /** The path of the named room {@code name} (URL-encoded) on its server. */
    public static String roomPath(String name) {
        return ROOMS + "/" + name;
    }

    /**
     * This address as the agent's state (read cursors, names' tokens) is keyed by: host names and
     * room names are case-insensitive, so both are in lower case ({@code http://LOCALHOST:8765/rooms/Design}
     * and {@code http://localhost:8765/rooms/design} are one room); user info and the rest of the path as given.
     */
    public String key() {
        String authority = base.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        Matcher named = NAMED_ROOM.matcher(path);
        if (named.find()) {
            path = path.substring(0, named.start()) + named.group().toLowerCase(Locale.ROOT);
        }
        return base.getScheme() + "://" + authority.substring(0, at + 1) + authority.substring(at + 1).toLowerCase(Locale.ROOT)
            + path;
    }

    /** The host as {@link #key()} has it: in lower case. */
    public String keyHost() {
        return base.getHost().toLowerCase(Locale.ROOT);
    }

    /** The URL of {@code path} (which starts with a slash) in this room. */
    public URI resolve(String path) {
        return URI.create(base + path);
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
