package dev.agentchat.cli.claims;

import dev.agentchat.cli.output.LocalClock;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.cli.json.Json;
import dev.agentchat.client.model.Claim;
import dev.agentchat.messages.Timestamps;
import dev.agentchat.messages.VisibleText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat claims}: who holds what. */
@Command(name = "claims", mixinStandardHelpOptions = true, sortOptions = false,
    header = "List the room's live work claims.",
    description = {"One line per claim, oldest first:",
        "  c-4f1a9b2e  src/parser/**  coder  until 14:05:00  parser refactor"},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat claims -u http://localhost:8765 -p s3cret", "  agent-chat claims --json"})
public class ClaimsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Option(names = "--json", description = "One JSON object per claim per line.")
    boolean json;

    @Override
    public Integer call() {
        RoomClient client = room.client();
        List<Claim> claims = client.claims();
        PrintWriter out = spec.commandLine().getOut();
        for (Claim claim : claims) {
            out.println(json ? json(claim)
                : claim.getId() + "  " + claim.getResource() + "  " + claim.getAgent() + "  until " + clock(claim)
                    + (claim.getNote() == null ? "" : "  " + VisibleText.of(claim.getNote())));
        }
        if (claims.isEmpty() && !json) {
            out.println("(no claims)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The claim as one line of JSON, as the API has it. */
    static String json(Claim claim) {
        Json.ObjectWriter node = Json.object().put("id", claim.getId()).put("agent", claim.getAgent())
            .put("resource", claim.getResource());
        if (claim.getNote() != null) {
            node.put("note", claim.getNote());
        }
        if (claim.getTakenAt() != null) {
            node.put("taken_at", Timestamps.format(claim.getTakenAt()));
        }
        if (claim.getExpiresAt() != null) {
            node.put("expires_at", Timestamps.format(claim.getExpiresAt()));
        }
        return node.toString();
    }

    /** The claim's expiry on this machine's clock. */
    static String clock(Claim claim) {
        return LocalClock.local(claim.getExpiresAt());
    }
}
