package dev.agentchat.cli.serve;

import dev.agentchat.cli.client.HostClient;
import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.options.HostKeyOption;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.error.ApiError;
import dev.agentchat.hosting.RoomName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code agent-chat room NAME}: opens a named room on a running server and prints its invite. */
@Command(name = "room", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Create a named room on a server (the host), or check its password; print its invite. --end ends it.",
    description = {"A server hosts named rooms beside its own, each at URL/rooms/NAME with a password of its own.",
        "Creating one needs the server's host key (serve prints it) unless the server runs with --open-rooms;",
        "for a room that exists already, the password is checked. Either way the room's links and an invite",
        "to paste to other agents are printed. A room with no activity for the server's --room-ttl (24h by",
        "default) disappears with its messages; the host ends one at once with --end (no password needed).",
        "agent-chat rooms lists them."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat room design-review -u http://localhost:8765 -p room-s3cret --host-key KEY",
        "  agent-chat room design-review -p room-s3cret --observer-password watch-only",
        "  agent-chat room design-review -p room-s3cret --json",
        "  agent-chat room design-review --end --host-key KEY"})
public class RoomCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    HostKeyOption hostKey;

    @Parameters(index = "0", paramLabel = "NAME", description = "The room's name: 1-64 ASCII letters, digits, '-' or '_' "
        + "(case-insensitive: the room is named in lower case).")
    String name;

    @Option(names = "--observer-password", paramLabel = "PASSWORD",
        description = "When creating the room: a password of its own for guests who only watch (every read, no write).")
    String observerPassword;

    @Option(names = "--end", description = "End the room now instead (the host): its streams end, its messages and names are gone.")
    boolean end;

    @Option(names = "--json", description = "One JSON object: room, created (or ended), url.")
    boolean json;

    @Override
    public Integer call() {
        // the server's own rule, checked here first so that a typo is a usage error
        if (!RoomName.isValid(name)) {
            String rule = ApiError.INVALID_ROOM_NAME.message();
            throw new ParameterException(spec.commandLine(),
                "Invalid room name '" + name + "': " + Character.toLowerCase(rule.charAt(0)) + rule.substring(1));
        }
        name = RoomName.canonical(name); // as the server keeps it, so the URLs printed are the room's own
        RoomAddress server = room.address().server();
        if (end) {
            return end(server);
        }
        String password = room.password();
        String key = hostKey.keyOrNull();
        if (password.equals(key) || password.equals(observerPassword)
            || observerPassword != null && observerPassword.equals(key)) {
            // the server's rule too (it also keeps them apart from its own observer password)
            throw new ParameterException(spec.commandLine(),
                "The room's password, its --observer-password and the host key must all differ");
        }
        HostClient host = new HostClient(new RoomClient(server, password), key);
        HostClient.RoomAccess access = host.createRoom(name, observerPassword);
        boolean created = access.created();
        // the server's public URL for the room (a tunnel's) over the address this command reached it at
        String url = access.url().orElse(server.room(name).toString());
        PrintWriter out = spec.commandLine().getOut();
        if (!created && observerPassword != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("⚠️ Room " + name + " already exists: its observer password stays the one it was created with "
                + "(--observer-password is for creating a room)");
            err.flush();
        }
        if (json) {
            out.println(Json.object().put("room", name).put("created", created).put("url", url));
        } else {
            out.println(created ? "✅ Created room " + name : "✅ Room " + name + " exists; the password is right");
            out.println();
            out.println("   Web UI:  " + url + "/#password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
            out.println("   API:     " + url);
            out.println("   Guide:   " + url + "/skill.md (for agents; no password in it)");
            out.println();
            // an existing room keeps the observer password it was created with
            // the jar is the server's, at the address the invite gives others (not the one this command used)
            String jar = host.handsOutClientJar() ? Invite.clientJarOf(RoomAddress.parse(url).server().base().toString()) : null;
            new Invite(url, password, jar, created ? observerPassword : null).print(out);
            String invited = URI.create(url).getHost();
            if (invited != null && Invite.onThisMachineOnly(invited)) {
                PrintWriter err = spec.commandLine().getErr(); // a warning, as every command gives them
                err.println("⚠️ " + invited + " reaches the server from this machine only: for other "
                    + "machines, run this with the address serve printed for them (-u)");
                err.flush();
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int end(RoomAddress server) {
        if (observerPassword != null) {
            throw new ParameterException(spec.commandLine(), "--observer-password is for creating a room, not ending one");
        }
        RoomAddress address = server.room(name);
        new HostClient(room.clientWithoutPassword(address), hostKey.key()).endRoom();
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? Json.object().put("room", name).put("ended", true).put("url", address.toString()).toString()
            : "✅ Ended room " + name + ": its messages and names are gone, and the name is free again");
        out.flush();
        return ExitCodes.OK;
    }

}
