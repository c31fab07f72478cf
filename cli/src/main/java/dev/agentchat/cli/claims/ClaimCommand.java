package dev.agentchat.cli.claims;

import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.cli.output.LocalClock;
import dev.agentchat.client.model.Claim;
import dev.agentchat.coordination.CoordinationOperations;
import dev.agentchat.coordination.Globs;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.limits.LimitSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code agent-chat claim RESOURCE}: takes or renews a work claim. */
@Command(name = "claim", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Claim a resource (a path or glob) so others know you are working on it.",
    description = {"Takes an exclusive, expiring claim: others' overlapping claims are refused (exit 1,",
        "claim_conflict, naming the holder and until when). Claiming what you already hold renews it.",
        "Globs: * within a path segment, ** across segments, ? one character. Prints:",
        "  ✅ Claimed src/parser/** until 14:05:00 (claim c-4f1a9b2e)"},
    footerHeading = "%nExamples:%n",
    footer = {"  agent-chat claim -a coder 'src/parser/**' --ttl 30m --note 'parser refactor'",
        "  agent-chat claim -a coder docs/README.md"})
public class ClaimCommand implements Callable<Integer> {
    private final CursorStore cursors;

    /** @param cursors this run's store, where the token of the name it holds is kept */
    public ClaimCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "A path or glob, e.g. 'src/parser/**' (quote it).")
    String resource;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Converters.Seconds.class,
        description = "How long the claim lasts unless renewed: seconds, or e.g. 30m, 2h. Default: 30m; at most what the "
            + "room allows (" + LimitSettings.DEFAULT_CLAIM_MAX_TTL + " unless its server sets agent-chat.limits.claim-max-ttl).")
    Duration ttl;

    @Option(names = "--note", paramLabel = "TEXT", description = "What you are doing with it (at most "
        + CoordinationOperations.MAX_NOTE + " characters).")
    String note;

    @Option(names = "--json", description = "Print the claim as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (resource.isBlank()) {
            throw new ParameterException(spec.commandLine(), "RESOURCE is empty: give a path or glob, e.g. 'src/parser/**'");
        }
        ApiException malformed = Globs.refusal(resource);
        if (malformed != null) {
            // the room's own rule, checked here too: a mistake in the command line is exit 2 wherever it is found
            throw new ParameterException(spec.commandLine(), malformed.getMessage());
        }
        if (note != null && note.length() > CoordinationOperations.MAX_NOTE) {
            throw new ParameterException(spec.commandLine(), "--note is " + note.length() + " characters; a claim's note takes at most "
                + CoordinationOperations.MAX_NOTE);
        }
        if (ttl != null && ttl.toSeconds() < 1) {
            throw new ParameterException(spec.commandLine(), "--ttl must be at least 1 s (a claim that ends at once holds nothing)");
        }
        RoomClient client = room.client(cursors, agent.name());
        Claim claim;
        try {
            claim = client.claim(agent.name(), resource, ttl == null ? null : Math.max(1, ttl.toSeconds()), note);
        } catch (RoomException e) {
            if (ttl != null && ApiError.INVALID_FIELD.code().equals(e.code()) && e.limit() != null && ttl.toSeconds() > e.limit()) {
                // the room's limit is its server's setting: the room says it, in its refusal; a mistake in the
                // command line (exit 2), but found by the room, not the parser, so without the usage line
                throw new CliException(ExitCodes.USAGE, "--ttl " + Converters.Seconds.format(ttl.toSeconds())
                    + " is longer than a claim lasts in this room: at most " + Converters.Seconds.format(e.limit())
                    + " (renew the claim to keep it longer)");
            }
            // the holder's "until" on the user's clock, as every time the CLI shows
            throw new RoomException(e.kind(), e.status(), LocalClock.inText(e.getMessage()), e.code(), e.limit());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? ClaimsCommand.json(claim)
            : "✅ Claimed " + claim.getResource() + " until " + ClaimsCommand.clock(claim) + " (claim " + claim.getId() + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
