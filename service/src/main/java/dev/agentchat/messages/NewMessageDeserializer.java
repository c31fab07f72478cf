package dev.agentchat.messages;

import dev.agentchat.api.model.NewMessage;
import dev.agentchat.error.JsonFields;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;

import java.io.IOException;

/** Reads a posted message with strict JSON types ({@link JsonFields}). */
@Singleton
public class NewMessageDeserializer implements Deserializer<NewMessage> {

    @Override
    public NewMessage deserialize(Decoder decoder, DecoderContext context, Argument<? super NewMessage> type)
        throws IOException {
        JsonFields fields = JsonFields.of(decoder);
        NewMessage message = new NewMessage(fields.string(NewMessage.JSON_PROPERTY_TEXT));
        message.setAgent(fields.string(NewMessage.JSON_PROPERTY_AGENT));
        message.setTo(fields.strings(NewMessage.JSON_PROPERTY_TO));
        message.setReplyTo(fields.integer(NewMessage.JSON_PROPERTY_REPLY_TO));
        message.setAckRequested(fields.bool(NewMessage.JSON_PROPERTY_ACK_REQUESTED));
        message.setKind(fields.kind(NewMessage.JSON_PROPERTY_KIND));
        message.setIdempotencyKey(fields.string(NewMessage.JSON_PROPERTY_IDEMPOTENCY_KEY));
        return message;
    }
}
