package dev.agentchat.mcp;

import dev.agentchat.messages.MessageQuery;
import dev.agentchat.messages.SendCheck;
import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one tool call, read leniently (models send "true" and "5" too) with readable
 * errors: the one reading of the tools' arguments, for {@code agent-chat mcp} and the room's endpoint.
 */
public record ToolArguments(Map<?, ?> values) {

    public ToolArguments(@Nullable Map<?, ?> values) {
        this.values = values == null ? Map.of() : values;
    }

    /** {@code send_message}'s arguments. */
    public record Send(String text, List<String> to, @Nullable Long replyTo, boolean ackRequested) {
    }

    /** {@code claim_resource}'s arguments. */
    public record Claim(String resource, @Nullable Long ttlSeconds, @Nullable String note) {
    }

    /** {@code read_messages}'s arguments; {@code last} is null for all. */
    public record Read(boolean mentionsOnly, @Nullable Integer last) {
    }

    /** {@code wait_for_messages}'s arguments. */
    public record Wait(double seconds, boolean mentionsOnly) {
    }

    /** {@code search_messages}'s arguments. */
    public record Search(String query, @Nullable String from, @Nullable Long before, int limit) {
    }

    public Search search() {
        String query = requiredText("query");
        if (query.length() > MessageQuery.MAX_SEARCH_LENGTH) {
            throw new Invalid("'query' is too long: at most " + MessageQuery.MAX_SEARCH_LENGTH + " characters");
        }
        Object from = values.get("from");
        if (from != null && !(from instanceof String)) {
            throw new Invalid("'from' must be an agent name");
        }
        String sender = from == null || ((String) from).isBlank() ? null : ((String) from).trim().replaceFirst("^@", "");
        if (sender != null && SendCheck.invalidName(sender) != null) {
            throw new Invalid("'from': " + SendCheck.invalidName(sender));
        }
        Double before = number("before");
        if (before != null && (before < 1 || before != Math.rint(before))) {
            throw new Invalid("'before' must be the id of a message (a whole number from 1)");
        }
        Double limit = number("limit");
        if (limit != null && (limit < 1 || limit != Math.rint(limit) || limit > ToolCatalog.SEARCH_MAX)) {
            throw new Invalid("'limit' must be a whole number from 1 to " + ToolCatalog.SEARCH_MAX);
        }
        return new Search(query, sender, before == null ? null : before.longValue(),
            limit == null ? ToolCatalog.SEARCH_LIMIT : limit.intValue());
    }

    /** {@code export_transcript}'s format: {@code markdown} (default) or {@code jsonl}. */
    public String exportFormat() {
        Object format = values.get("format");
        if (format == null || "".equals(format)) {
            return "markdown";
        }
        if (format instanceof String text && (text.equalsIgnoreCase("markdown") || text.equalsIgnoreCase("jsonl"))) {
            return text.toLowerCase(java.util.Locale.ROOT);
        }
        throw new Invalid("'format' must be markdown or jsonl");
    }

    public Send send() {
        String text = requiredText("text");
        List<String> to = names("to");
        Double replyTo = number("reply_to");
        if (replyTo != null && (replyTo < 1 || replyTo != Math.rint(replyTo))) {
            throw new Invalid("'reply_to' must be the id of a message (a whole number from 1)");
        }
        for (String name : to) {
            String invalid = SendCheck.invalidName(name);
            if (invalid != null) {
                throw new Invalid("'to': " + invalid);
            }
        }
        return new Send(text, to, replyTo == null ? null : replyTo.longValue(), flag("ack_requested"));
    }

    /** The {@code id} of {@code ack_message} and {@code who_has_read}. */
    public long messageId() {
        Double id = number("id");
        if (id == null) {
            throw new Invalid("'id' is required: the id of a message (a whole number from 1)");
        }
        if (id < 1 || id != Math.rint(id) || id > Long.MAX_VALUE) {
            throw new Invalid("'id' must be the id of a message: a whole number from 1");
        }
        return id.longValue();
    }

    public Claim claim() {
        String resource = requiredText("resource");
        Double ttl = number("ttl_seconds");
        if (ttl != null && (ttl < 1 || ttl != Math.rint(ttl))) {
            throw new Invalid("'ttl_seconds' must be a whole number of seconds from 1");
        }
        Object note = values.get("note");
        if (note != null && !(note instanceof String)) {
            throw new Invalid("'note' must be a string");
        }
        return new Claim(resource, ttl == null ? null : ttl.longValue(), (String) note);
    }

    /** {@code release_claim}'s claim: an id or a resource. */
    public String claimToRelease() {
        return requiredText("claim").trim();
    }

    public Read read() {
        boolean mentionsOnly = flag("mentions_only");
        Double last = number("last");
        if (last != null && (last < 0 || last != Math.rint(last) || last > Integer.MAX_VALUE)) {
            throw new Invalid("'last' must be a whole number from 0");
        }
        return new Read(mentionsOnly, last == null ? null : last.intValue());
    }

    /** @param maxSeconds the longest wait this server takes */
    public Wait await(long maxSeconds) {
        Double seconds = number("timeout_seconds");
        if (seconds == null) {
            throw new Invalid("'timeout_seconds' is required: a number of seconds from 0 to " + maxSeconds
                + " (call again to wait longer)");
        }
        if (seconds < 0 || seconds > maxSeconds) {
            throw new Invalid("'timeout_seconds' must be between 0 and " + maxSeconds + " (call again to wait longer)");
        }
        return new Wait(seconds, flag("mentions_only"));
    }

    String requiredText(String name) {
        Object value = values.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new Invalid("'" + name + "' is required: a non-empty string");
        }
        return text;
    }

    boolean flag(String name) {
        Object value = values.get(name);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(text);
        }
        throw new Invalid("'" + name + "' must be true or false");
    }

    /** A finite number, or null when absent. */
    @Nullable
    Double number(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        try {
            double number = Double.parseDouble(value.toString().trim());
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Invalid("'" + name + "' must be a number");
    }

    /** A list of names, from a JSON array or a comma-separated string; empty when absent. */
    List<String> names(String name) {
        Object value = values.get(name);
        List<?> items;
        if (value == null) {
            return List.of();
        } else if (value instanceof List<?> list) {
            items = list;
        } else if (value instanceof String text) {
            items = Arrays.asList(text.split(","));
        } else {
            throw new Invalid("'" + name + "' must be a list of agent names");
        }
        return items.stream().map(item -> String.valueOf(item).trim().replaceFirst("^@", ""))
            .filter(item -> !item.isEmpty()).toList();
    }

    /** A tool argument that cannot be used, or a call that is surely a mistake; its message is shown to the model. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
