package dev.agentchat.messages;

import dev.agentchat.api.model.AgentKind;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.error.ApiError;
import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a posted message with strict JSON types: the generated model would quietly turn
 * {@code "text": 123} into {@code "123"}; here a field of the wrong type is a 400 naming the field.
 * {@code null} counts as absent, unknown fields are ignored (as the original did).
 */
@Singleton
public class NewMessageDeserializer implements Deserializer<NewMessage> {

    @Override
    public NewMessage deserialize(Decoder decoder, DecoderContext context, Argument<? super NewMessage> type)
        throws IOException {
        JsonNode node = decoder.decodeNode();
        if (!node.isObject()) {
            throw ApiError.INVALID_JSON.exception("Invalid JSON: the body must be an object");
        }
        NewMessage message = new NewMessage(string(node, NewMessage.JSON_PROPERTY_TEXT));
        message.setAgent(string(node, NewMessage.JSON_PROPERTY_AGENT));
        message.setTo(strings(node, NewMessage.JSON_PROPERTY_TO));
        message.setReplyTo(integer(node, NewMessage.JSON_PROPERTY_REPLY_TO));
        message.setAckRequested(bool(node, NewMessage.JSON_PROPERTY_ACK_REQUESTED));
        message.setKind(kind(node, NewMessage.JSON_PROPERTY_KIND));
        return message;
    }

    private static String string(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw wrongType(field, "a string");
        }
        return value.getStringValue();
    }

    private static Boolean bool(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "true or false");
        }
        return value.getBooleanValue();
    }

    private static AgentKind kind(JsonNode object, String field) {
        String value = string(object, field);
        if (value == null) {
            return null;
        }
        for (AgentKind kind : AgentKind.values()) {
            if (kind.getValue().equals(value)) {
                return kind;
            }
        }
        throw wrongType(field, "\"agent\" or \"human\"");
    }

    private static List<String> strings(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(field, "an array of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value.values()) {
            if (!item.isString()) {
                throw wrongType(field, "an array of strings");
            }
            result.add(item.getStringValue());
        }
        return result;
    }

    private static Long integer(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(field, "an integer");
        }
        try {
            return value.getBigDecimalValue().longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            // a fraction, too large, or 1e400 (read as infinity)
            throw wrongType(field, "an integer");
        }
    }

    /** The field's value; null when missing or JSON null. */
    private static JsonNode present(JsonNode object, String field) {
        JsonNode found = object.get(field);
        return found == null || found.isNull() ? null : found;
    }

    private static RuntimeException wrongType(String field, String expected) {
        return ApiError.INVALID_FIELD.exception("Field '" + field + "' must be " + expected);
    }
}
