package dev.agentchat.cli.client;

import dev.agentchat.client.model.Agent;
import dev.agentchat.client.model.AgentKind;
import dev.agentchat.client.model.Claim;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.PollResult;
import io.micronaut.core.annotation.Nullable;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The room's answers ({@link dev.agentchat.cli.json.Json} values) as the generated client's models,
 * read as its Jackson mapper reads them: unknown fields ignored, a field that is absent keeps the
 * model's default, scalars taken as text where text is expected, timestamps as ISO-8601 with an
 * offset (a space for the {@code T} allowed, as the generated RFC 3339 reader does). Anything else
 * is an {@link IllegalArgumentException}, reported as an answer that could not be read.
 */
final class Wire {
    private Wire() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(@Nullable Object json) {
        if (json == null) {
            return Map.of();
        }
        if (json instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("expected a JSON object");
    }

    static List<Message> messages(@Nullable Object json) {
        Map<String, Object> list = object(json);
        return list.containsKey("messages") ? list(list.get("messages"), Wire::message) : new ArrayList<>();
    }

    static PollResult pollResult(@Nullable Object json) {
        Map<String, Object> fields = object(json);
        PollResult result = new PollResult();
        if (fields.containsKey("messages")) {
            result.setMessages(list(fields.get("messages"), Wire::message));
        }
        if (fields.containsKey("next")) {
            result.setNext(longValue(fields.get("next")));
        }
        return result;
    }

    static List<Agent> agents(@Nullable Object json) {
        Map<String, Object> list = object(json);
        return list.containsKey("agents") ? list(list.get("agents"), Wire::agent) : new ArrayList<>();
    }

    @Nullable
    static Message message(@Nullable Object json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> fields = object(json);
        Message message = new Message();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            Object value = field.getValue();
            switch (field.getKey()) {
                case "id" -> message.setId(longValue(value));
                case "agent" -> message.setAgent(text(value));
                case "kind" -> message.setKind(kind(value));
                case "verified" -> message.setVerified(bool(value));
                case "text" -> message.setText(text(value));
                case "timestamp" -> message.setTimestamp(timestamp(value));
                case "mentions" -> message.setMentions(list(value, Wire::text));
                case "to" -> message.setTo(list(value, Wire::text));
                case "reply_to" -> message.setReplyTo(longValue(value));
                case "ack_only" -> message.setAckOnly(bool(value));
                case "ack_requested" -> message.setAckRequested(bool(value));
                case "acks" -> message.setAcks(list(value, Wire::text));
                default -> {
                    // unknown fields are ignored, as the generated client does
                }
            }
        }
        return message;
    }

    static List<String> names(@Nullable Object json) {
        List<String> names = list(json, Wire::text);
        return names == null ? new ArrayList<>() : names;
    }

    static List<Claim> claims(@Nullable Object json) {
        Map<String, Object> list = object(json);
        return list.containsKey("claims") ? list(list.get("claims"), Wire::claim) : new ArrayList<>();
    }

    @Nullable
    static Claim claim(@Nullable Object json) {
        if (json == null) {
            return null;
        }
        Claim claim = new Claim();
        for (Map.Entry<String, Object> field : object(json).entrySet()) {
            Object value = field.getValue();
            switch (field.getKey()) {
                case "id" -> claim.setId(text(value));
                case "agent" -> claim.setAgent(text(value));
                case "resource" -> claim.setResource(text(value));
                case "note" -> claim.setNote(text(value));
                case "taken_at" -> claim.setTakenAt(timestamp(value));
                case "expires_at" -> claim.setExpiresAt(timestamp(value));
                default -> {
                    // ignored
                }
            }
        }
        return claim;
    }

    @Nullable
    private static Agent agent(@Nullable Object json) {
        if (json == null) {
            return null;
        }
        Agent agent = new Agent();
        for (Map.Entry<String, Object> field : object(json).entrySet()) {
            Object value = field.getValue();
            switch (field.getKey()) {
                case "name" -> agent.setName(text(value));
                case "online" -> agent.setOnline(bool(value));
                case "last_seen" -> agent.setLastSeen(timestamp(value));
                case "connections" -> {
                    Long n = longValue(value);
                    if (n != null && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
                        throw new IllegalArgumentException("connections out of range");
                    }
                    agent.setConnections(n == null ? null : n.intValue());
                }
                case "read_up_to" -> agent.setReadUpTo(longValue(value));
                case "waiting" -> agent.setWaiting(bool(value));
                case "verified" -> agent.setVerified(bool(value));
                case "kind" -> agent.setKind(kind(value));
                case "muted" -> agent.setMuted(bool(value));
                case "blocked_until" -> agent.setBlockedUntil(timestamp(value));
                default -> {
                    // ignored
                }
            }
        }
        return agent;
    }

    @Nullable
    static <T> List<T> list(@Nullable Object json, java.util.function.Function<Object, T> item) {
        if (json == null) {
            return null;
        }
        if (!(json instanceof List<?> values)) {
            throw new IllegalArgumentException("expected a JSON array");
        }
        List<T> list = new ArrayList<>(values.size());
        for (Object value : values) {
            list.add(item.apply(value));
        }
        return list;
    }

    @Nullable
    private static String text(@Nullable Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("expected text");
        }
        return String.valueOf(value);
    }

    @Nullable
    private static Long longValue(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number");
            }
        }
        throw new IllegalArgumentException("expected a number");
    }

    /** A sender's kind; one this client does not know yet is left out, as a newer server may add kinds. */
    @Nullable
    private static AgentKind kind(@Nullable Object value) {
        String text = text(value);
        for (AgentKind kind : AgentKind.values()) {
            if (kind.getValue().equals(text)) {
                return kind;
            }
        }
        return null;
    }

    @Nullable
    private static Boolean bool(@Nullable Object value) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    /**
     * {@code 2026-11-24T12:21:05.772257+00:00} (any fraction of 0-9 digits, {@code Z} or
     * {@code ±HH:MM}) read without {@link java.time.format.DateTimeFormatter}, whose ISO formatters
     * cost a new JVM ~15 ms to build; null for any other form (then the formatter reads it, with the
     * same result for these).
     */
    @Nullable
    static OffsetDateTime canonical(String text) {
        int n = text.length();
        if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
            || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < n && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            int length = at - start;
            if (length == 0 || length > 9) {
                return null;
            }
            nanos = digits(text, start, length);
            for (int i = length; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offset;
        if (at == n - 1 && text.charAt(at) == 'Z') {
            offset = 0;
        } else if (at == n - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-') && text.charAt(at + 3) == ':') {
            int hours = digits(text, at + 1, 2);
            int minutes = digits(text, at + 4, 2);
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offset = (hours * 3600 + minutes * 60) * (text.charAt(at) == '-' ? -1 : 1);
        } else {
            return null;
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || nanos < 0) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            return null; // out of range: the formatter says so
        }
    }

    /** The number {@code length} ASCII digits at {@code from} make; -1 when one is not a digit. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** An ISO-8601 timestamp with an offset; {@code +00}/{@code +0000} and a space for the {@code T} taken too. */
    @Nullable
    static OffsetDateTime timestamp(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String string)) {
            throw new IllegalArgumentException("expected a timestamp");
        }
        String text = string.trim().replace(' ', 'T');
        if (text.isEmpty()) {
            return null;
        }
        OffsetDateTime quick = canonical(text);
        if (quick != null) {
            return quick;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            for (String zero : new String[] {"+0000", "+00", "-0000", "-00"}) {
                if (text.endsWith(zero)) {
                    try {
                        return OffsetDateTime.parse(text.substring(0, text.length() - zero.length()) + "Z");
                    } catch (DateTimeParseException again) {
                        break;
                    }
                }
            }
            throw new IllegalArgumentException("expected a timestamp: " + e.getMessage());
        }
    }
}
