package dev.agentchat.mcp;

import dev.agentchat.error.JsonFields;
import dev.agentchat.messages.MessageQuery;
import dev.agentchat.messages.SendCheck;
import io.micronaut.core.annotation.Nullable;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one call to {@code tool}, with readable errors: the one reading of the tools'
 * arguments, for {@code agent-chat mcp} and the room's endpoint. They are checked against the tool's
 * input schema when made: an argument the tool does not take, or a value of another JSON type than
 * its schema says ({@code "5"} for a number, {@code "alice"} for an array), is refused naming the
 * argument and what it takes. A null value counts as left out.
 */
public record ToolArguments(ToolCatalog.Definition tool, Map<?, ?> values) {

    public ToolArguments(ToolCatalog.Definition tool, @Nullable Map<?, ?> values) {
        this.tool = tool;
        this.values = values == null ? Map.of() : values;
        values().forEach((name, value) -> check(String.valueOf(name), value));
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
    /** {@code export_transcript}: the transcript in {@code format}, from after message {@code after}. */
    public record Export(String format, long after) {
    }

    public record Search(String query, @Nullable String from, @Nullable Long before, int limit) {
    }

    public Search search() {
        String query = requiredText("query");
        if (query.length() > MessageQuery.MAX_SEARCH_LENGTH) {
            throw new Invalid("'query' is too long: at most " + MessageQuery.MAX_SEARCH_LENGTH + " characters");
        }
        Object from = values.get("from");
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

    /**
     * {@code export_transcript}'s arguments: its format, {@code markdown} (default) or {@code jsonl}, and the
     * message to start after (0: from the first).
     */
    public Export export() {
        Object format = values.get("format");
        String chosen = "markdown";
        if (format instanceof String text && (text.equalsIgnoreCase("markdown") || text.equalsIgnoreCase("jsonl"))) {
            chosen = text.toLowerCase(java.util.Locale.ROOT);
        } else if (format != null && !"".equals(format)) {
            throw new Invalid("'format' must be markdown or jsonl");
        }
        Double after = number("after");
        if (after != null && (after < 0 || after != Math.rint(after) || after > Long.MAX_VALUE)) {
            throw new Invalid("'after' must be the id of a message (a whole number from 0)");
        }
        return new Export(chosen, after == null ? 0 : after.longValue());
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
        return new Claim(resource, ttl == null ? null : ttl.longValue(), (String) values.get("note"));
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
        return Boolean.TRUE.equals(values.get(name));
    }

    /** A number, or null when absent. */
    @Nullable
    Double number(String name) {
        return values.get(name) instanceof Number number ? number.doubleValue() : null;
    }

    /** A list of names (a leading @ dropped); empty when absent. */
    List<String> names(String name) {
        List<?> items = values.get(name) instanceof List<?> list ? list : List.of();
        return items.stream().map(item -> ((String) item).trim().replaceFirst("^@", ""))
            .filter(item -> !item.isEmpty()).toList();
    }

    /** Refuses an argument the tool does not take, or a value of another JSON type than its schema's. */
    private void check(String name, @Nullable Object value) {
        if (!(tool.properties().get(name) instanceof Map<?, ?> schema)) {
            throw new Invalid("Unknown argument '" + name + "': " + tool.name() + " takes "
                + (tool.properties().isEmpty() ? "no arguments" : String.join(", ", tool.properties().keySet())));
        }
        String found = value == null ? null : mismatch(schema, value);
        if (found != null) {
            throw new Invalid("'" + name + "' must be " + expected(schema) + ", not " + found);
        }
        List<?> texts = value instanceof List<?> list ? list : Collections.singletonList(value);
        if (texts.stream().anyMatch(text -> text instanceof String s && !JsonFields.wellFormed(s))) {
            throw new Invalid("'" + name + "' must be " + JsonFields.LONE_SURROGATES);
        }
    }

    /** What the value is when it is not of the schema's type (or holds an item that is not), else null. */
    @Nullable
    private static String mismatch(Map<?, ?> schema, Object value) {
        boolean matches = switch (String.valueOf(schema.get("type"))) {
            case "string" -> value instanceof String;
            case "integer", "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            case "array" -> value instanceof List;
            default -> true;
        };
        if (!matches) {
            return kind(value);
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (Object item : list) {
                String found = item == null ? "null" : mismatch(items, item);
                if (found != null) {
                    return "an array holding " + found;
                }
            }
        }
        return null;
    }

    private static String expected(Map<?, ?> schema) {
        return switch (String.valueOf(schema.get("type"))) {
            case "string" -> "a string";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            case "array" -> "an array of " + ((Map<?, ?>) schema.get("items")).get("type") + "s";
            default -> String.valueOf(schema.get("type"));
        };
    }

    private static String kind(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof List) {
            return "an array";
        }
        return "an object";
    }

    /** A tool argument that cannot be used, or a call that is surely a mistake; its message is shown to the model. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
