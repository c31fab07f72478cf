package dev.agentchat.system;

import dev.agentchat.settings.InvalidSetting;
import dev.agentchat.settings.Redaction;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.value.PropertyResolver;
import io.micronaut.core.order.Ordered;
import io.micronaut.inject.BeanDefinition;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks every {@code agent-chat.*} setting the server was given before anything serves: left to the
 * framework, a value that does not convert ({@code max-history=abc}) silently became the default, a
 * negative count or duration was taken as it is, and a misspelt key was not read at all. The settings
 * are those {@link DeclaredSettings} finds where they are declared, so a new one is checked without
 * being listed here; each settings record is then made once, so a record that checks its own values
 * (sizes) refuses them now rather than at its first use.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SettingsCheck {
    static final String DURATION = "a duration such as 500ms, 30s, 5m or 24h";
    static final String BOOLEAN = "true or false";
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\+?\\d{1,18}");

    public SettingsCheck(ApplicationContext context) {
        DeclaredSettings declared = new DeclaredSettings(context);
        UnknownSettings.check(context.getEnvironment(), declared.types().keySet());
        declared.types().forEach((key, type) -> check(context, key, type));
        for (BeanDefinition<?> record : declared.records()) {
            context.findBeanDefinition(record.getBeanType()).ifPresent(definition -> made(context, definition));
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
                throw refused(key, raw.get(), DURATION);
            }
        } else if (type == boolean.class || type == Boolean.class) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw refused(key, raw.get(), BOOLEAN);
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
            throw new InvalidSetting(Redaction.urls(cause.getMessage()), e);
        }
    }

    private static InvalidSetting refused(String key, String value, String expected) {
        return InvalidSetting.of(key, value, expected);
    }

    /**
     * The sentence that says which setting stopped the server from starting, if a setting did: one of
     * ours, or one of the framework's that did not convert.
     *
     * @param settings the settings the server was given, for the value as it was written
     */
    public static Optional<String> refusal(Throwable failure, PropertyResolver settings) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSetting) {
                return Optional.of(t.getMessage());
            }
        }
        return UnconvertedSetting.sentence(failure, settings);
    }
}
