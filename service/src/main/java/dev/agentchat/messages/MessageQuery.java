package dev.agentchat.messages;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.QueryParameters;
import dev.agentchat.room.HistoryQuery;
import io.micronaut.core.annotation.Nullable;

/** Parsing and checking of the query values that say where a client is in the room. */
public final class MessageQuery {
    private MessageQuery() {
    }

    static long after(String parameter, @Nullable Long value) {
        if (value == null) {
            return 0;
        }
        if (value < 0) {
            throw QueryParameters.invalid(parameter);
        }
        return value;
    }

    /** The part of the transcript an {@code exportMessages} request asks for: the whole without {@code after} or {@code max_bytes}. */
    public static Transcript.Part transcriptPart(@Nullable Long after, @Nullable Long maxBytes) {
        if (maxBytes != null && maxBytes < Transcript.Part.MIN_BYTES) {
            throw QueryParameters.invalid("max_bytes");
        }
        return new Transcript.Part(after("after", after), maxBytes == null ? Long.MAX_VALUE : maxBytes);
    }

    /** The longest search term {@code q} may be, in characters. */
    public static final int MAX_SEARCH_LENGTH = 200;

    /**
     * The history a {@code listMessages} request asks for; bad values are {@code invalid_parameter},
     * a search term over {@link #MAX_SEARCH_LENGTH} is {@code query_too_long}.
     */
    public static HistoryQuery history(@Nullable Long after, @Nullable Long before, @Nullable Integer limit,
                                       @Nullable String q, @Nullable String agent) {
        long from = after("after", after);
        if (before != null && before < 1) {
            throw QueryParameters.invalid("before");
        }
        return new HistoryQuery(from, before == null ? Long.MAX_VALUE : before,
            limit(limit), after == null || before != null, name("agent", agent), search(q));
    }

    /** A request's {@code limit}: {@link Integer#MAX_VALUE} without one; below 1 is {@code invalid_parameter}. */
    public static int limit(@Nullable Integer limit) {
        if (limit != null && limit < 1) {
            throw QueryParameters.invalid("limit");
        }
        return limit == null ? Integer.MAX_VALUE : limit;
    }

    /** The search term, or null for none (absent or empty). */
    @Nullable
    public static String search(@Nullable String q) {
        if (q == null || q.isEmpty()) {
            return null;
        }
        if (q.codePointCount(0, q.length()) > MAX_SEARCH_LENGTH) {
            throw ApiError.QUERY_TOO_LONG.limit(MAX_SEARCH_LENGTH, null);
        }
        return q;
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
        throw ApiError.INVALID_PARAMETER.exception("Invalid Last-Event-ID: a message id, 0 or more");
    }

    @Nullable
    static String name(String parameter, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!NewMessageValidator.isValidName(value)) {
            throw QueryParameters.invalid(parameter);
        }
        return value;
    }
}
