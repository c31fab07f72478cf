package dev.agentchat.error;

import dev.agentchat.api.model.AgentKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a request body, read with strict JSON types: a generated model would quietly turn
 * {@code "agent": 123} into {@code "123"} and {@code "ttl_seconds": "60"} into 60; here a field of the
 * wrong type is {@code 400 invalid_field} naming the field. {@code null} counts as absent, unknown
 * fields are ignored (as the original server did); whether a field is required is the handler's rule.
 */
public final class JsonFields {
    private final JsonNode object;

    private JsonFields(JsonNode object) {
        this.object = object;
    }

    /** The body's fields; a body that is not a JSON object is {@code 400 invalid_json}. */
    public static JsonFields of(Decoder decoder) throws IOException {
        JsonNode node = decoder.decodeNode();
        if (!node.isObject()) {
            throw ApiError.INVALID_JSON.exception("Invalid JSON: the body must be an object");
        }
        return new JsonFields(node);
    }

    @Nullable
    public String string(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw wrongType(field, "a string");
        }
        return wellFormed(field, value.getStringValue());
    }

    /** {@code text}, unless it holds a lone surrogate: then {@code 400 invalid_field} naming {@code field}. */
    private static String wellFormed(String field, String text) {
        if (!wellFormed(text)) {
            throw wrongType(field, LONE_SURROGATES);
        }
        return text;
    }

    /** What a field with a lone surrogate must be instead, in every refusal of one. */
    public static final String LONE_SURROGATES = "text without lone surrogates (\\ud800-\\udfff)";

    /**
     * Whether {@code text} is characters: an escaped half of a surrogate pair ({@code "\ud800"}) alone is
     * none, and could not be written back as UTF-8.
     */
    public static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Nullable
    public Boolean bool(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "true or false");
        }
        return value.getBooleanValue();
    }

    @Nullable
    public AgentKind kind(String field) {
        String value = string(field);
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

    @Nullable
    public List<String> strings(String field) {
        JsonNode value = present(field);
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
            result.add(wellFormed(field, item.getStringValue()));
        }
        return result;
    }

    @Nullable
    public Long integer(String field) {
        JsonNode value = present(field);
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
    @Nullable
    private JsonNode present(String field) {
        JsonNode found = object.get(field);
        return found == null || found.isNull() ? null : found;
    }

    private static ApiException wrongType(String field, String expected) {
        return ApiError.INVALID_FIELD.exception("Field '" + field + "' must be " + expected);
    }
}
