package dev.agentchat.coordination;

import dev.agentchat.api.model.AckResult;
import dev.agentchat.auth.Caller;
import dev.agentchat.room.Draft;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.api.model.ClaimList;
import dev.agentchat.api.model.Message;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.limits.LimitSettings;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.messages.Timestamps;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Room;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The acknowledgement and claim operations on any room, for the HTTP API and the room's MCP tools
 * alike: the checks of what is asked, and the errors of the catalogue.
 */
@Singleton
public class CoordinationOperations {
    /** How long a claim lasts when the request does not say. */
    public static final long DEFAULT_TTL_SECONDS = 1800;
    /** The longest note of a claim, in characters. */
    public static final int MAX_NOTE = 500;

    /**
     * Whether a release names a claim by its id; anything else names the claim's resource (which may
     * itself begin with {@code c-}: {@code c-lib/**}).
     */
    public static boolean isClaimId(String text) {
        return ClaimBook.ID.matcher(text).matches();
    }
    /** The refusal of an acknowledgement or a claim that names nobody. */
    static final String NO_NAME = "An agent name is required: give \"agent\", or send the name's token"
        + " (Authorization: Bearer) to act as the name it holds";

    private final LimitSettings limits;
    private final RoomSettings settings;

    public CoordinationOperations(LimitSettings limits, RoomSettings settings) {
        this.limits = limits;
        this.settings = settings;
    }

    /**
     * Counts a message about to be posted against the loop brake; throws {@code loop_brake} to refuse it.
     * A person's message (never held, and it releases the brake) is one sent under a name held as a
     * person's, with its token, or by the host with {@code "kind": "human"} (the host key may drive an
     * agent too); a {@code "kind": "human"} anyone else may write in a body is shown, but counts as an
     * agent's, or every held agent could release itself.
     */
    public void admit(Coordination coordination, Caller caller, Draft draft) {
        coordination.turn(Draft.HUMAN.equals(draft.kind()) && person(caller), settings.maxAgentTurns());
    }

    /** Whether the loop brake takes the caller for a person: the host, or the holder of a name held as human. */
    private static boolean person(Caller caller) {
        return caller.isHost() || (caller.verified() && Draft.HUMAN.equals(caller.kind()));
    }

    /** The loop brake, as {@code GET {base}/room} shows it. */
    public dev.agentchat.api.model.Brake brake(Coordination coordination) {
        return EventJson.toApi(coordination.brake(settings.maxAgentTurns()));
    }

    /** Releases the loop brake: the host, or a person holding their name (its token, of kind human). */
    public dev.agentchat.api.model.Brake releaseBrake(Coordination coordination, Caller caller) {
        if (!person(caller)) {
            throw ApiError.HOST_ONLY.exception("Only the host or a person holding their name may release the loop brake");
        }
        return EventJson.toApi(coordination.release(settings.maxAgentTurns()));
    }

    /** Acknowledges message {@code id} for {@code agent}; 404 {@code message_not_found} when the room does not have it. */
    public AckResult ack(Room room, Coordination coordination, long id, @Nullable String agent) {
        String name = name(agent);
        List<ChatMessage> found = id < 1 ? List.of() : room.after(id - 1, 1);
        if (found.isEmpty() || found.get(0).id() != id) {
            throw ApiError.MESSAGE_NOT_FOUND.exception(ApiError.noSuchMessage(id));
        }
        return new AckResult(id, coordination.ack(id, name)).agent(name);
    }

    /** Adds the acknowledgements to the messages that have any. */
    public List<Message> withAcks(Coordination coordination, List<Message> messages) {
        if (messages.isEmpty()) {
            return messages;
        }
        Map<Long, List<String>> acks = coordination.acks(messages.stream().map(Message::getId).toList());
        for (Message message : messages) {
            List<String> names = acks.get(message.getId());
            if (names != null) {
                message.setAcks(names);
            }
        }
        return messages;
    }

    /** Takes or renews a claim; a conflict is {@code 409 claim_conflict} naming the holder and the expiry. */
    public dev.agentchat.api.model.Claim take(Coordination coordination, @Nullable String agent, @Nullable String resource,
                                              @Nullable Long ttlSeconds, @Nullable String note) {
        String name = name(agent);
        String glob = resource == null || resource.isBlank() ? resource : Globs.normalized(resource);
        ApiException refused = Globs.refusal(glob);
        if (refused != null) {
            throw refused;
        }
        long maxTtl = limits.claimMaxTtl().toSeconds();
        long ttl = ttlSeconds == null ? Math.min(DEFAULT_TTL_SECONDS, maxTtl) : ttlSeconds;
        if (ttl < 1 || ttl > maxTtl) {
            // the body's limit is the longest claim, so that a client can say it in its own words
            throw ApiError.INVALID_FIELD.limit("'ttl_seconds' must be from 1 to " + maxTtl + " (renew a claim to keep it longer)",
                maxTtl);
        }
        if (note != null && note.codePointCount(0, note.length()) > MAX_NOTE) {
            throw ApiError.INVALID_FIELD.limit("'note' is longer than " + MAX_NOTE + " characters", MAX_NOTE);
        }
        try {
            return EventJson.toApi(coordination.take(new ClaimRequest(name, glob, ttl * 1000, note)).claim());
        } catch (ClaimConflict e) {
            Claim held = e.held();
            throw ApiError.CLAIM_CONFLICT.exception("'" + glob + "' overlaps '" + held.resource() + "', claimed by "
                + held.agent() + " until " + Timestamps.format(Instant.ofEpochMilli(held.expiresAt()))
                + " (claim " + held.id() + (held.note() == null ? "" : ": " + held.note()) + ")", EventJson.toApi(held));
        }
    }

    /** Releases claim {@code id} (its holder only). */
    public dev.agentchat.api.model.Claim release(Coordination coordination, @Nullable String id, @Nullable String agent) {
        String name = name(agent);
        if (id == null || id.isBlank() || id.length() > 64) {
            throw ApiError.CLAIM_NOT_FOUND.exception();
        }
        return EventJson.toApi(coordination.release(id, name));
    }

    /**
     * Releases every claim {@code agent} holds: a name given up is free for anyone, who must not find
     * themselves holding the claims of whoever had it before.
     */
    public void releaseAll(Coordination coordination, String agent) {
        for (Claim claim : coordination.claims()) {
            if (claim.heldBy(agent)) {
                try {
                    coordination.release(claim.id(), agent);
                } catch (ApiException gone) {
                    // it expired or was released meanwhile: nothing is held either way
                }
            }
        }
    }

    public ClaimList list(Coordination coordination) {
        return new ClaimList(coordination.claims().stream().map(EventJson::toApi).toList());
    }

    private static String name(@Nullable String agent) {
        if (agent == null) {
            throw ApiError.INVALID_AGENT.exception(NO_NAME);
        }
        if (!NewMessageValidator.isValidName(agent)) {
            throw ApiError.INVALID_AGENT.exception();
        }
        return agent;
    }
}
