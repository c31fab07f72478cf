package dev.agentchat.system;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every {@code agent-chat.*} setting the server was given before anything serves: left to the
 * framework, a value that does not convert ({@code max-history=abc}) silently became the default, and
 * a negative count or duration was taken as it is. The settings are found where they are declared (the
 * settings records and the {@code @Value} parameters of our beans), so a new one is checked without
 * being listed here; each settings record is then made once, so a record that checks its own values
 * (sizes) refuses them now rather than at its first use.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SettingsCheck {
    private static final String OURS = "dev.agentchat.";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(agent-chat\\.[a-z0-9.-]+)(?::[^}]*)?}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\+?\\d{1,18}");

    public SettingsCheck(ApplicationContext context) {
        for (BeanDefinition<?> definition : context.getAllBeanDefinitions()) {
            Class<?> type = definition.getBeanType();
            if (!type.getName().startsWith(OURS)) {
                continue;
            }
            Optional<String> prefix = definition.stringValue(ConfigurationReader.class, ConfigurationReader.PREFIX);
            if (prefix.isPresent() && type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    check(context, prefix.get() + "." + NameUtils.hyphenate(component.getName()), component.getType());
                }
                made(context, definition);
            }
            for (Argument<?> argument : definition.getConstructor().getArguments()) {
                Matcher key = PLACEHOLDER.matcher(argument.getAnnotationMetadata().stringValue(Value.class).orElse(""));
                if (key.matches()) {
                    check(context, key.group(1), argument.getType());
                }
            }
        }
    }

    private static void check(ApplicationContext context, String key, Class<?> type) {
        Optional<String> raw = context.getProperty(key, String.class);
        if (raw.isEmpty()) {
            return;
        }
        String value = raw.get().trim();
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            long max = type == long.class || type == Long.class ? Long.MAX_VALUE : Integer.MAX_VALUE;
            if (!WHOLE_NUMBER.matcher(value).matches() || Long.parseLong(value.replace("+", "")) > max) {
                throw refused(key, raw.get(), "a whole number from 0 to " + max);
            }
        } else if (type == Duration.class) {
            Optional<Duration> duration = context.getProperty(key, Duration.class);
            if (duration.isEmpty() || duration.get().isNegative()) {
                throw refused(key, raw.get(), "a duration such as 500ms, 30s, 5m or 24h");
            }
        } else if (type == boolean.class || type == Boolean.class) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw refused(key, raw.get(), "true or false");
            }
        } else if (type == String.class && key.endsWith("-url") && !value.isEmpty() && !isUrl(value)) {
            throw refused(key, raw.get(), "a URL such as redis://host:6379 or https://host (a scheme, a host, a port up to 65535)");
        }
    }

    /** Whether {@code value} is an absolute URL with a host and, if any, a port a socket can have. */
    private static boolean isUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.getScheme() != null && uri.getHost() != null && uri.getPort() <= 65535;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void made(ApplicationContext context, BeanDefinition<?> definition) {
        try {
            context.getBean(definition);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new InvalidSetting(cause.getMessage(), e);
        }
    }

    private static InvalidSetting refused(String key, String value, String expected) {
        return new InvalidSetting("Invalid setting " + key + "='" + value + "': expected " + expected, null);
    }

    /** The sentence that says which setting stopped the server from starting, if a setting did. */
    public static Optional<String> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSetting) {
                return Optional.of(t.getMessage());
            }
        }
        return Optional.empty();
    }

    /** A setting the server cannot run with; its message names the setting, its value and what it takes. */
    static final class InvalidSetting extends ConfigurationException {
        InvalidSetting(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
