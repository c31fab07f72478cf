package dev.agentchat.cli.serve;

import dev.agentchat.cli.client.HostClient;
import dev.agentchat.cli.client.RoomAddress;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.cli.options.HostKeyOption;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.cli.output.LocalClock;
import dev.agentchat.messages.Timestamps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat rooms}: the named rooms a server hosts, for its host. */
@Command(name = "rooms", mixinStandardHelpOptions = true, sortOptions = false,
    header = "List the server's named rooms (the host).",
    description = {"One line per live named room, oldest first: its name, its URL, and until when it lives",
        "unless someone uses it (an open stream or a waiting poll keeps it alive; the date when it is not today):",
        "  design-review  http://localhost:8765/rooms/design-review  until 2026-12-04 14:05:00",
        "Needs the server's host key; no password. End one with agent-chat room NAME --end."},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat rooms -u http://localhost:8765 --host-key KEY", "  agent-chat rooms --json"})
public class RoomsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    HostKeyOption hostKey;

    @Option(names = "--json", description = "One JSON object per room per line: room, url, created_at, expires_at.")
    boolean json;

    @Override
    public Integer call() {
        RoomAddress server = room.address().server();
        List<HostClient.ListedRoom> rooms = new HostClient(room.clientWithoutPassword(server), hostKey.key()).rooms();
        PrintWriter out = spec.commandLine().getOut();
        for (HostClient.ListedRoom listed : rooms) {
            String url = server.room(listed.name()).toString();
            out.println(json
                ? Json.object().put("room", listed.name()).put("url", url)
                    .put("created_at", Timestamps.format(listed.createdAt()))
                    .put("expires_at", Timestamps.format(listed.expiresAt())).toString()
                : listed.name() + "  " + url + "  until " + LocalClock.localWithDay(listed.expiresAt()));
        }
        if (rooms.isEmpty() && !json) {
            out.println("(no named rooms)");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
