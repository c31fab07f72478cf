package dev.agentchat.cli.options;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code -u/--url} and {@code -p/--password}, falling back to AGENT_CHAT_URL and AGENT_CHAT_PASSWORD. */
public class RoomOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-u", "--url"}, paramLabel = "URL", defaultValue = "${env:AGENT_CHAT_URL}",
        description = "The room's URL, e.g. http://localhost:8765 (env AGENT_CHAT_URL).")
    String url;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", defaultValue = "${env:AGENT_CHAT_PASSWORD}",
        description = "The room password (env AGENT_CHAT_PASSWORD).")
    String password;

    /** The room's address; a missing flag is a usage error, a malformed URL too. */
    public RoomAddress address() {
        String value = required(url, "'--url=URL' (or set AGENT_CHAT_URL)");
        try {
            return RoomAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** The address of a room: the server's own, or a named one; a URL that ends at {@code /rooms} names none. */
    public RoomAddress roomAddress() {
        RoomAddress address = address();
        if (address.namesNoRoom()) {
            throw new ParameterException(mixee.commandLine(), "--url " + address.base() + " names no room: add the room's name ("
                + address.base() + "/NAME), or leave /rooms out for the server's own room");
        }
        return address;
    }

    public String password() {
        return required(password, "'--password=PASSWORD' (or set AGENT_CHAT_PASSWORD)");
    }

    /**
     * A client for the room that holds {@code agent} (claimed on first use, its token kept in
     * {@code cursors}' state directory), for commands that speak or read as an agent.
     */
    public RoomClient client(CursorStore cursors, String agent) {
        return client(cursors, agent, "agent");
    }

    /** As {@link #client(CursorStore, String)}, holding the name as {@code kind} ({@code agent} or {@code human}). */
    public RoomClient client(CursorStore cursors, String agent, String kind) {
        return holdName(client(), cursors, agent, kind);
    }

    /** {@code client}, holding {@code agent} as {@code kind} (claimed on first use, its token kept beside {@code cursors}). */
    public static RoomClient holdName(RoomClient client, CursorStore cursors, String agent, String kind) {
        client.holdNameLazily(agent, kind, cursors.tokens());
        return client;
    }

    /** A client for the room's host commands: the host key stands in for the password, which may be missing. */
    public RoomClient clientWithoutPassword() {
        return clientWithoutPassword(roomAddress());
    }

    /** As {@link #clientWithoutPassword()}, at another address on the same server. */
    public RoomClient clientWithoutPassword(RoomAddress address) {
        return new RoomClient(address, password == null ? "" : password);
    }

    /** A client for the room, after checking both options. */
    public RoomClient client() {
        RoomAddress address = roomAddress();
        return new RoomClient(address, password());
    }

    private String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new ParameterException(mixee.commandLine(), "Missing required option: " + what);
        }
        return value;
    }
}
