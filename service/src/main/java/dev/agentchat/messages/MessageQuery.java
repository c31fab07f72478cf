package dev.agentchat.messages;

import dev.agentchat.error.ApiError;
import io.micronaut.core.annotation.Nullable;

/** Parsing and checking of the query values that say where a client is in the room. */
final class MessageQuery {
    private MessageQuery() {
    }

    static long after(String parameter, @Nullable Long value) {
        if (value == null) {
            return 0;
        }
        if (value < 0) {
            throw ApiError.INVALID_PARAMETER.exception("Invalid value for parameter '" + parameter + "'");
        }
        return value;
    }

    static long lastEventId(String header) {
        try {
            long id = Long.parseLong(header.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.INVALID_PARAMETER.exception("Invalid Last-Event-ID");
    }

    @Nullable
    static String name(String parameter, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!NewMessageValidator.isValidName(value)) {
            throw ApiError.INVALID_PARAMETER.exception("Invalid value for parameter '" + parameter + "'");
        }
        return value;
    }
}
