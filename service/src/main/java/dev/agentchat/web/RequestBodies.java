package dev.agentchat.web;

import dev.agentchat.api.model.AckRequest;
import dev.agentchat.api.model.BrakeRelease;
import dev.agentchat.api.model.ClaimRequest;
import dev.agentchat.api.model.JoinRequest;
import dev.agentchat.api.model.ReadCursor;
import dev.agentchat.api.model.RoomTopic;
import dev.agentchat.error.JsonFields;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * The request bodies besides a message ({@code messages/NewMessageDeserializer}), read with strict
 * JSON types ({@link JsonFields}): {@code {"agent": 123}} is {@code 400 invalid_field} naming
 * {@code agent}, never a name "123", and never an error naming a Java parameter.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    @Singleton
    public static class Join implements Deserializer<JoinRequest> {
        @Override
        public JoinRequest deserialize(Decoder decoder, DecoderContext context, Argument<? super JoinRequest> type)
            throws IOException {
            JsonFields fields = JsonFields.of(decoder);
            return new JoinRequest(fields.string(JoinRequest.JSON_PROPERTY_AGENT))
                .kind(fields.kind(JoinRequest.JSON_PROPERTY_KIND));
        }
    }

    @Singleton
    public static class Ack implements Deserializer<AckRequest> {
        @Override
        public AckRequest deserialize(Decoder decoder, DecoderContext context, Argument<? super AckRequest> type)
            throws IOException {
            return new AckRequest().agent(JsonFields.of(decoder).string(AckRequest.JSON_PROPERTY_AGENT));
        }
    }

    @Singleton
    public static class Claim implements Deserializer<ClaimRequest> {
        @Override
        public ClaimRequest deserialize(Decoder decoder, DecoderContext context, Argument<? super ClaimRequest> type)
            throws IOException {
            JsonFields fields = JsonFields.of(decoder);
            return new ClaimRequest(fields.string(ClaimRequest.JSON_PROPERTY_RESOURCE))
                .agent(fields.string(ClaimRequest.JSON_PROPERTY_AGENT))
                .ttlSeconds(fields.integer(ClaimRequest.JSON_PROPERTY_TTL_SECONDS))
                .note(fields.string(ClaimRequest.JSON_PROPERTY_NOTE));
        }
    }

    @Singleton
    public static class Release implements Deserializer<BrakeRelease> {
        @Override
        public BrakeRelease deserialize(Decoder decoder, DecoderContext context, Argument<? super BrakeRelease> type)
            throws IOException {
            JsonFields fields = JsonFields.of(decoder);
            return new BrakeRelease().agent(fields.string(BrakeRelease.JSON_PROPERTY_AGENT))
                .kind(fields.kind(BrakeRelease.JSON_PROPERTY_KIND));
        }
    }

    @Singleton
    public static class Topic implements Deserializer<RoomTopic> {
        @Override
        public RoomTopic deserialize(Decoder decoder, DecoderContext context, Argument<? super RoomTopic> type)
            throws IOException {
            return new RoomTopic(JsonFields.of(decoder).string(RoomTopic.JSON_PROPERTY_TOPIC));
        }
    }

    @Singleton
    public static class Cursor implements Deserializer<ReadCursor> {
        @Override
        public ReadCursor deserialize(Decoder decoder, DecoderContext context, Argument<? super ReadCursor> type)
            throws IOException {
            return new ReadCursor(JsonFields.of(decoder).integer(ReadCursor.JSON_PROPERTY_AFTER));
        }
    }
}
