package dev.agentchat.mcp;

import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The arguments of one tool call, read leniently (models send "true" and "5" too) with readable errors. */
record ToolArguments(Map<?, ?> values) {

    ToolArguments(@Nullable Map<?, ?> values) {
        this.values = values == null ? Map.of() : values;
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

    /** A number, or null when absent. */
    @Nullable
    Double number(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
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

    /** A tool argument that cannot be used; its message is shown to the model. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
