package dev.agentchat.system;

import dev.agentchat.settings.InvalidSetting;
import io.micronaut.core.value.PropertyResolver;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A framework setting that did not convert when its bean was made ({@code micronaut.server.max-request-size=abc}),
 * said in one sentence. The framework names the setting only in its message, followed by the path of
 * beans that led to it, so the key and the target type are read from there.
 */
final class UnconvertedSetting {
    private static final Pattern KEY = Pattern.compile("Error resolving property value \\[(?:\\$\\{)?([A-Za-z0-9._-]+)");
    private static final Pattern TYPE = Pattern.compile("Unable to convert value \\[[^\\n]*?] to target type \\[([^\\]]+)]");

    private UnconvertedSetting() {
    }

    static Optional<String> sentence(Throwable failure, PropertyResolver settings) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            Matcher key = KEY.matcher(message);
            Matcher type = TYPE.matcher(message);
            if (key.find() && type.find()) {
                String value = settings.getProperty(key.group(1), String.class).orElse("");
                return Optional.of(InvalidSetting.of(key.group(1), value, expected(type.group(1))).getMessage());
            }
        }
        return Optional.empty();
    }

    /** What a value of {@code type} (the framework writes {@code long}, {@code Duration} or a class's whole name) looks like. */
    private static String expected(String type) {
        String name = type.substring(type.lastIndexOf('.') + 1);
        return switch (name) {
            case "int", "long", "Integer", "Long" -> "a whole number";
            case "boolean", "Boolean" -> SettingsCheck.BOOLEAN;
            case "Duration" -> SettingsCheck.DURATION;
            default -> "a value of type " + name;
        };
    }
}
