package dev.agentchat.error;

import java.util.Map;

/**
 * What each of the API's query parameters takes, said with a refusal of a value the server cannot
 * use ({@code invalid_parameter}), so that a client learns how to ask again from the answer alone.
 */
public final class QueryParameters {
    private static final String NAME = "a name of " + ApiError.NAME_RULE;

    private static final Map<String, String> TAKES = Map.of(
        "after", "a message id, 0 or more (0: from the first)",
        "before", "a message id from 1",
        "limit", "a whole number from 1 to 2147483647",
        "wait", "seconds to wait, a number from 0",
        "agent", NAME,
        "for", NAME,
        "mentions_only", "true or false",
        "max_bytes", "a number of bytes from 1024");

    private QueryParameters() {
    }

    /** The refusal of a value given for the parameter: its name and, for the API's own, what it takes. */
    public static ApiException invalid(String parameter) {
        return ApiError.INVALID_PARAMETER.exception("Invalid value for parameter '" + parameter + "'" + takes(parameter));
    }

    /** The refusal of a request without a parameter it needs. */
    public static ApiException missing(String parameter) {
        return ApiError.INVALID_PARAMETER.exception("Missing required parameter '" + parameter + "'" + takes(parameter));
    }

    private static String takes(String parameter) {
        String takes = TAKES.get(parameter);
        return takes == null ? "" : ": " + takes;
    }
}
