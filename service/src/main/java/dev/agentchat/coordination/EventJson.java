package dev.agentchat.coordination;

import dev.agentchat.api.model.AckResult;
import dev.agentchat.api.model.ClaimEvent;
import dev.agentchat.api.model.ClaimEventAction;
import dev.agentchat.messages.Timestamps;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON of the API's claims and announcements, made once per event. */
@Singleton
public class EventJson {
    private final JsonMapper json;

    public EventJson(JsonMapper json) {
        this.json = json;
    }

    public CoordinationEvent ack(long id, String agent, List<String> acks) {
        return new CoordinationEvent(CoordinationEvent.ACK, write(new AckResult(id, acks).agent(agent)));
    }

    public CoordinationEvent claim(ClaimEventAction action, Claim claim) {
        return new CoordinationEvent(CoordinationEvent.CLAIM, write(new ClaimEvent(action, toApi(claim))));
    }

    public CoordinationEvent brake(Brake brake) {
        return new CoordinationEvent(CoordinationEvent.BRAKE, write(toApi(brake)));
    }

    /** The brake as the API shows it. */
    public static dev.agentchat.api.model.Brake toApi(Brake brake) {
        return new dev.agentchat.api.model.Brake(brake.agentTurns(), brake.limit(), brake.engaged());
    }

    /** A claim as the API shows it. */
    public static dev.agentchat.api.model.Claim toApi(Claim claim) {
        dev.agentchat.api.model.Claim shown = new dev.agentchat.api.model.Claim(claim.id(), claim.agent(),
            claim.resource(), Timestamps.utc(claim.expiresAt()));
        shown.setNote(claim.note());
        shown.setTakenAt(Timestamps.utc(claim.takenAt()));
        return shown;
    }

    /** Claims as stored in Redis. */
    String claims(List<Claim> claims) {
        return write(claims);
    }

    List<Claim> readClaims(String stored) {
        try {
            return List.of(json.readValue(stored, Claim[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
